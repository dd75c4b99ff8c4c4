package dev.ferry.hub.packaging;

import dev.ferry.protocol.json.JsonCodec;
import dev.ferry.protocol.oci.Annotations;
import dev.ferry.protocol.oci.Descriptor;
import dev.ferry.protocol.oci.Digest;
import dev.ferry.protocol.oci.Index;
import dev.ferry.protocol.oci.MediaTypes;
import dev.ferry.protocol.release.ReleaseVariant;
import dev.ferry.protocol.release.ServingSpec;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Lays out a release with several variants: one ModelPack artifact per variant (its own {@code
 * model.onnx}, {@code serving.json} and {@code golden.json}, the variant's annotations on its
 * manifest) and an OCI image index listing their manifests, each entry annotated with the variant.
 */
final class VariantArtifacts {
  /**
   * The packaged variants.
   *
   * @param artifacts one per variant, in the release's order
   * @param variants what the release statement signs of each
   * @param index the index bytes
   * @param indexDigest their digest, the statement's subject
   */
  record Packaged(
      List<Artifact> artifacts, List<ReleaseVariant> variants, byte[] index, Digest indexDigest) {
    /** The index's descriptor, the signature referrer's subject. */
    Descriptor indexDescriptor() {
      return new Descriptor(
          MediaTypes.OCI_INDEX, indexDigest, index.length, Map.of(), MediaTypes.MODEL_ARTIFACT);
    }

    /** Bytes of the index and every variant's artifact. */
    long size() {
      return index.length + artifacts.stream().mapToLong(Artifact::size).sum();
    }
  }

  private final ArtifactBuilder builder = new ArtifactBuilder();
  private final JsonCodec codec = new JsonCodec();

  /**
   * Packages checked variants.
   *
   * @param checked the variants, in the release's order
   * @param servings each one's {@code serving.json}, in the same order
   * @param description the release's description, or null
   * @param license its license, or null
   * @param createdAt when it is packaged
   * @return the artifacts and the index
   * @throws IOException if a model file cannot be read
   */
  Packaged build(
      List<VariantChecks.Checked> checked,
      List<ServingSpec> servings,
      String description,
      String license,
      Instant createdAt)
      throws IOException {
    List<Artifact> artifacts = new ArrayList<>();
    List<ReleaseVariant> variants = new ArrayList<>();
    List<Descriptor> entries = new ArrayList<>();
    for (int i = 0; i < checked.size(); i++) {
      VariantTarget target = checked.get(i).upload().target();
      Map<String, String> annotations = annotationsOf(target);
      Artifact artifact =
          builder.build(
              checked.get(i).upload().model(),
              servings.get(i),
              checked.get(i).golden(),
              description,
              license,
              createdAt,
              target.precision().name(),
              annotations);
      artifacts.add(artifact);
      variants.add(variantOf(target, artifact));
      entries.add(
          new Descriptor(
              MediaTypes.OCI_MANIFEST,
              artifact.manifestDigest(),
              artifact.manifest().length,
              annotations,
              MediaTypes.MODEL_ARTIFACT));
    }
    byte[] index =
        codec.encode(
            Index.ofVariants(
                entries,
                Map.of(
                    Annotations.CREATED,
                    createdAt.toString(),
                    Annotations.VERSION,
                    servings.get(0).version())));
    return new Packaged(artifacts, variants, index, Digest.of(index));
  }

  private static ReleaseVariant variantOf(VariantTarget target, Artifact artifact) {
    return new ReleaseVariant(
        target.name(),
        target.providers(),
        target.precision(),
        artifact.manifestDigest(),
        artifact.servingLayer().digest(),
        artifact.goldenLayer().digest());
  }

  private static Map<String, String> annotationsOf(VariantTarget target) {
    return Map.of(
        Annotations.VARIANT_NAME,
        target.name(),
        Annotations.VARIANT_PROVIDERS,
        String.join(",", target.providers()),
        Annotations.VARIANT_PRECISION,
        target.precision().name());
  }
}
