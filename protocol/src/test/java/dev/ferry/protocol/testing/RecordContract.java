package dev.ferry.protocol.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ferry.protocol.json.JsonCodec;
import dev.ferry.protocol.json.MalformedMessageException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The contract of a JSON record, for the test classes that extend it: round trip, unknown fields
 * ignored, a wrong type named exactly. Each subclass declares {@code static List<Case> cases()}.
 */
public abstract class RecordContract {
  protected static final JsonCodec CODEC = new JsonCodec();
  protected static final ObjectMapper JSON = new ObjectMapper();
  private static final int MUTATIONS = 300;

  /** A record, a sample, a field to give the wrong type, and the exact message expected. */
  public record Case(Object sample, String field, JsonNode wrong, String message) {
    @Override
    public String toString() {
      return sample.getClass().getSimpleName();
    }
  }

  /** The name of the unknown object field added to every sample. */
  protected String unknownField() {
    return "addedInAFutureMinor";
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  public void roundTrip_returnsAnEqualRecord(Case c) {
    assertEquals(c.sample(), CODEC.decode(CODEC.encode(c.sample()), c.sample().getClass()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  public void decode_ignoresUnknownFields(Case c) throws IOException {
    ObjectNode tree = (ObjectNode) JSON.readTree(CODEC.encode(c.sample()));
    tree.putObject(unknownField()).putArray("values").add(1).add("two");
    tree.put("anotherNewField", "x");
    assertEquals(c.sample(), CODEC.decode(JSON.writeValueAsBytes(tree), c.sample().getClass()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  public void decode_rejectsAWrongTypeNamingFieldAndValue(Case c) throws IOException {
    ObjectNode tree = (ObjectNode) JSON.readTree(CODEC.encode(c.sample()));
    tree.set(c.field(), c.wrong());
    byte[] payload = JSON.writeValueAsBytes(tree);
    var error =
        assertThrows(
            MalformedMessageException.class, () -> CODEC.decode(payload, c.sample().getClass()));
    assertEquals(c.message(), error.getMessage());
  }

  /** 300 copies of the payload, each with one to three bytes replaced, seeded by its length. */
  protected static List<byte[]> mutations(byte[] payload) {
    Random random = new Random(payload.length);
    List<byte[]> mutations = new ArrayList<>();
    for (int i = 0; i < MUTATIONS; i++) {
      byte[] mutated = payload.clone();
      for (int flips = 1 + random.nextInt(3); flips > 0; flips--) {
        mutated[random.nextInt(mutated.length)] = (byte) random.nextInt(128);
      }
      mutations.add(mutated);
    }
    return mutations;
  }

  protected static JsonNode text(String value) {
    return JSON.getNodeFactory().textNode(value);
  }

  protected static JsonNode number(double value) {
    return value == Math.rint(value)
        ? JSON.getNodeFactory().numberNode((long) value)
        : JSON.getNodeFactory().numberNode(value);
  }

  protected static JsonNode array() {
    return JSON.createArrayNode().add("a");
  }

  protected static JsonNode object() {
    return JSON.createObjectNode().put("a", 1);
  }
}
