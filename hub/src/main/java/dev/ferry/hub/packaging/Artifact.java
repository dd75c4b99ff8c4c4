package dev.ferry.hub.packaging;

import dev.ferry.protocol.oci.Descriptor;
import dev.ferry.protocol.oci.Digest;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A ModelPack artifact ready to store: the model file (on disk), the small blobs (in memory), and
 * the manifest bytes.
 *
 * @param modelFile the {@code model.onnx} file
 * @param modelLayer its descriptor
 * @param servingLayer the descriptor of {@code serving.json}
 * @param goldenLayer the descriptor of the golden vectors
 * @param smallBlobs config, {@code serving.json} and golden vectors, by digest
 * @param manifest the manifest bytes
 * @param manifestDigest their digest
 * @param size bytes of manifest, config and layers together
 */
public record Artifact(
    Path modelFile,
    Descriptor modelLayer,
    Descriptor servingLayer,
    Descriptor goldenLayer,
    Map<Digest, byte[]> smallBlobs,
    byte[] manifest,
    Digest manifestDigest,
    long size) {
  /** The descriptor of the manifest, for a referrer's subject. */
  public Descriptor manifestDescriptor() {
    return Descriptor.of(
        dev.ferry.protocol.oci.MediaTypes.OCI_MANIFEST, manifestDigest, manifest.length);
  }

  /** The small blobs' digests, in a stable order. */
  public List<Digest> smallBlobDigests() {
    return smallBlobs.keySet().stream()
        .sorted(java.util.Comparator.comparing(Digest::hex))
        .toList();
  }
}
