package dev.ferry.protocol.oci;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.ferry.protocol.Samples;
import dev.ferry.protocol.json.JsonCodec;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class IndexTest {
  private final JsonCodec codec = new JsonCodec();

  @Test
  void ofVariants_listsModelPackManifestsAnnotatedWithTheirVariant() {
    Descriptor variant =
        new Descriptor(
            MediaTypes.OCI_MANIFEST,
            Samples.digest("fp16"),
            700,
            Samples.releaseVariant().annotations(),
            MediaTypes.MODEL_ARTIFACT);
    Index index = Index.ofVariants(List.of(variant), Map.of(Annotations.VERSION, "1.0.0"));
    String json = new String(codec.encode(index), StandardCharsets.UTF_8);
    assertEquals(index, codec.decode(json.getBytes(StandardCharsets.UTF_8), Index.class));
    assertEquals(MediaTypes.MODEL_ARTIFACT, index.artifactType());
    assertEquals(
        "TENSORRT,CUDA", index.manifests().get(0).annotations().get(Annotations.VARIANT_PROVIDERS));
    assertFalse(json.contains("platform"), json);
  }

  @Test
  void manifest_findsAListedDigestOnly() {
    Index index = Samples.index();
    assertEquals(index.manifests().get(0), index.manifest(Samples.digest("signature")));
    assertNull(index.manifest(Samples.digest("other")));
  }
}
