package dev.ferry.protocol.oci;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.ferry.protocol.json.FieldException;
import dev.ferry.protocol.json.Fields;
import dev.ferry.protocol.json.MaxBytes;
import java.util.List;
import java.util.Map;

/**
 * An OCI image index: the answer of the referrers API and of the {@code sha256-<hex>} referrers
 * tag, and the top of a release with several variants ({@link #ofVariants}).
 *
 * @param schemaVersion always 2
 * @param mediaType {@link MediaTypes#OCI_INDEX}
 * @param artifactType the artifact type; null when none
 * @param manifests the listed manifests
 * @param subject the manifest this one refers to; null when none
 * @param annotations index annotations; empty when none
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
@MaxBytes(4 << 20)
public record Index(
    @JsonProperty(required = true) int schemaVersion,
    String mediaType,
    String artifactType,
    List<Descriptor> manifests,
    Descriptor subject,
    Map<String, String> annotations) {

  /** Checks and copies the fields. */
  public Index {
    if (schemaVersion != 2) {
      throw new FieldException("schemaVersion", "must be 2, got " + schemaVersion);
    }
    if (mediaType != null && !mediaType.equals(MediaTypes.OCI_INDEX)) {
      throw new FieldException(
          "mediaType", "must be " + MediaTypes.OCI_INDEX + ", got " + Fields.show(mediaType));
    }
    manifests = Fields.list(manifests, "manifests");
    annotations = Fields.map(annotations, "annotations");
  }

  /**
   * A new OCI index.
   *
   * @param manifests the listed manifests
   * @return the index
   */
  public static Index of(List<Descriptor> manifests) {
    return new Index(2, MediaTypes.OCI_INDEX, null, manifests, null, Map.of());
  }

  /**
   * The index of a release with several variants: one ModelPack manifest per variant, each
   * descriptor annotated with the variant ({@link Annotations#VARIANT_NAME} and beside it), no
   * {@code platform} (a model file is the same bytes on every OS and CPU architecture).
   *
   * @param variants the variants' manifest descriptors, in the release's order
   * @param annotations index annotations, for example {@link Annotations#VERSION}
   * @return the index, with {@code artifactType} {@link MediaTypes#MODEL_ARTIFACT}
   */
  public static Index ofVariants(List<Descriptor> variants, Map<String, String> annotations) {
    return new Index(
        2, MediaTypes.OCI_INDEX, MediaTypes.MODEL_ARTIFACT, variants, null, annotations);
  }

  /**
   * The listed manifest with that digest.
   *
   * @param digest a manifest digest
   * @return its descriptor, or null if the index does not list it
   */
  public Descriptor manifest(Digest digest) {
    return manifests.stream().filter(m -> m.digest().equals(digest)).findFirst().orElse(null);
  }
}
