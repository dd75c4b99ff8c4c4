package dev.ferry.hub.registry;

import dev.ferry.protocol.json.Fields;
import dev.ferry.protocol.json.JsonCodec;
import dev.ferry.protocol.oci.Descriptor;
import dev.ferry.protocol.oci.Digest;
import dev.ferry.protocol.oci.Index;
import dev.ferry.protocol.oci.Manifest;
import dev.ferry.protocol.oci.MediaTypes;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * What the store reads from a manifest or index it is given: the content it names, its subject, and
 * what a referrers listing says about it.
 *
 * @param blobs the config and layer digests (none for an index)
 * @param manifests the digests of an index's manifests (none for a manifest)
 * @param subject the manifest this one refers to, or null
 * @param artifactType the artifact type a referrers listing shows, or null
 * @param annotations the top-level annotations
 */
record ParsedManifest(
    List<Digest> blobs,
    List<Digest> manifests,
    Descriptor subject,
    String artifactType,
    Map<String, String> annotations) {
  private static final JsonCodec CODEC = new JsonCodec();

  ParsedManifest {
    blobs = List.copyOf(blobs);
    manifests = List.copyOf(manifests);
    annotations = Map.copyOf(annotations);
  }

  /**
   * Parses an OCI manifest or index.
   *
   * @throws IllegalArgumentException naming the media type or the broken field
   */
  static ParsedManifest parse(String mediaType, byte[] bytes) {
    if (MediaTypes.OCI_MANIFEST.equals(mediaType)) {
      Manifest m = CODEC.decode(bytes, Manifest.class);
      String type = m.artifactType() != null ? m.artifactType() : m.config().mediaType();
      List<Digest> blobs =
          Stream.concat(Stream.of(m.config()), m.layers().stream())
              .map(Descriptor::digest)
              .toList();
      return new ParsedManifest(blobs, List.of(), m.subject(), type, m.annotations());
    }
    if (MediaTypes.OCI_INDEX.equals(mediaType)) {
      Index i = CODEC.decode(bytes, Index.class);
      List<Digest> manifests = i.manifests().stream().map(Descriptor::digest).toList();
      return new ParsedManifest(
          List.of(), manifests, i.subject(), i.artifactType(), i.annotations());
    }
    throw new IllegalArgumentException(
        "mediaType must be "
            + MediaTypes.OCI_MANIFEST
            + " or "
            + MediaTypes.OCI_INDEX
            + ": "
            + Fields.show(mediaType));
  }
}
