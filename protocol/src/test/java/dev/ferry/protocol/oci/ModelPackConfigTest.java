package dev.ferry.protocol.oci;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ferry.protocol.Samples;
import dev.ferry.protocol.json.JsonCodec;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** The config must validate against ModelPack's schema, which forbids undefined fields. */
class ModelPackConfigTest {
  /**
   * The properties ModelPack's config-schema.json allows per object (additionalProperties: false).
   */
  private static final Map<String, Set<String>> ALLOWED =
      Map.of(
          "", Set.of("descriptor", "config", "modelfs"),
          "descriptor",
              Set.of(
                  "createdAt",
                  "authors",
                  "family",
                  "name",
                  "docURL",
                  "sourceURL",
                  "datasetsURL",
                  "version",
                  "revision",
                  "vendor",
                  "licenses",
                  "title",
                  "description"),
          "config",
              Set.of(
                  "architecture",
                  "format",
                  "paramSize",
                  "precision",
                  "quantization",
                  "transformerConfig",
                  "capabilities"),
          "modelfs", Set.of("type", "diffIds"));

  @Test
  void json_usesOnlyFieldsTheSchemaDefines() throws Exception {
    JsonNode tree = new ObjectMapper().readTree(new JsonCodec().encode(Samples.modelPackConfig()));
    assertEquals(ALLOWED.get(""), names(tree));
    for (String object : new String[] {"descriptor", "config", "modelfs"}) {
      Set<String> extra = names(tree.get(object));
      extra.removeAll(ALLOWED.get(object));
      assertEquals(Set.of(), extra, object);
    }
    assertEquals("layers", tree.at("/modelfs/type").asText());
    assertEquals(2, tree.at("/modelfs/diffIds").size());
  }

  private static Set<String> names(JsonNode node) {
    Set<String> names = new TreeSet<>();
    node.fieldNames().forEachRemaining(names::add);
    return names;
  }
}
