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
 * tag.
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
}
