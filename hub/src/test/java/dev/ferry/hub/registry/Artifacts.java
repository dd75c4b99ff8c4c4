package dev.ferry.hub.registry;

import dev.ferry.protocol.json.JsonCodec;
import dev.ferry.protocol.oci.Annotations;
import dev.ferry.protocol.oci.Descriptor;
import dev.ferry.protocol.oci.Digest;
import dev.ferry.protocol.oci.Manifest;
import dev.ferry.protocol.oci.MediaTypes;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Random;

/** Builds ModelPack artifacts and signature referrers in a {@link BlobStore}, as the hub will. */
final class Artifacts {
  static final JsonCodec CODEC = new JsonCodec();

  /** A stored model artifact. */
  record Stored(Digest digest, byte[] bytes, Descriptor model, byte[] modelBytes) {
    Descriptor descriptor() {
      return Descriptor.of(MediaTypes.OCI_MANIFEST, digest, bytes.length);
    }
  }

  private Artifacts() {}

  static Stored model(BlobStore store, String repository, String tag, int modelSize, long seed)
      throws IOException {
    byte[] modelBytes = new byte[modelSize];
    new Random(seed).nextBytes(modelBytes);
    Descriptor model =
        store
            .putBlob(repository, MediaTypes.MODEL_WEIGHT_RAW, modelBytes)
            .withAnnotation(Annotations.MODEL_FILEPATH, "model.onnx");
    Descriptor config =
        store.putBlob(
            repository, MediaTypes.MODEL_CONFIG, utf8("{\"descriptor\":{\"name\":\"m\"}}"));
    Manifest manifest =
        Manifest.of(
            MediaTypes.MODEL_ARTIFACT,
            config,
            List.of(model),
            null,
            Map.of(Annotations.VERSION, tag == null ? "untagged" : tag));
    byte[] bytes = CODEC.encode(manifest);
    Digest digest = store.putManifest(repository, tag, MediaTypes.OCI_MANIFEST, bytes);
    return new Stored(digest, bytes, model, modelBytes);
  }

  static Digest signature(BlobStore store, String repository, Stored subject) throws IOException {
    Descriptor empty = store.putBlob(repository, MediaTypes.OCI_EMPTY, utf8("{}"));
    Descriptor envelope =
        store.putBlob(repository, MediaTypes.DSSE_ENVELOPE, utf8("{\"payloadType\":\"x\"}"));
    Manifest signature =
        Manifest.of(
            MediaTypes.DSSE_ENVELOPE,
            empty,
            List.of(envelope),
            subject.descriptor(),
            Map.of(Annotations.CREATED, "2026-11-28T10:00:00Z"));
    return store.putManifest(repository, null, MediaTypes.OCI_MANIFEST, CODEC.encode(signature));
  }

  static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
