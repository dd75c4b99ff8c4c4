package dev.ferry.protocol.oci;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.ferry.protocol.json.FieldException;
import dev.ferry.protocol.json.Fields;
import dev.ferry.protocol.json.MaxBytes;
import java.util.List;
import java.util.Map;

/**
 * An OCI image manifest (spec v1.1), the shape of a ModelPack model artifact and of a signature
 * referrer. Unlike jib-core's templates it keeps {@code artifactType}, {@code subject} and
 * annotations. Its digest is that of the bytes as pulled, never of a re-encoding.
 *
 * @param schemaVersion always 2
 * @param mediaType {@link MediaTypes#OCI_MANIFEST}
 * @param artifactType the artifact type; null for a plain image
 * @param config the config descriptor
 * @param layers the layer descriptors, in order
 * @param subject the manifest this one refers to; null when none
 * @param annotations manifest annotations; empty when none
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
// 4 MiB: the largest manifest the Distribution registry accepts
@MaxBytes(4 << 20)
public record Manifest(
    @JsonProperty(required = true) int schemaVersion,
    String mediaType,
    String artifactType,
    Descriptor config,
    List<Descriptor> layers,
    Descriptor subject,
    Map<String, String> annotations) {

  /** Checks and copies the fields. */
  public Manifest {
    if (schemaVersion != 2) {
      throw new FieldException("schemaVersion", "must be 2, got " + schemaVersion);
    }
    if (mediaType != null && !mediaType.equals(MediaTypes.OCI_MANIFEST)) {
      throw new FieldException(
          "mediaType", "must be " + MediaTypes.OCI_MANIFEST + ", got " + Fields.show(mediaType));
    }
    Fields.required(config, "config");
    layers = Fields.list(layers, "layers");
    annotations = Fields.map(annotations, "annotations");
  }

  /**
   * A new OCI manifest.
   *
   * @param artifactType the artifact type, or null
   * @param config the config descriptor
   * @param layers the layers
   * @param subject the subject, or null
   * @param annotations the annotations
   * @return the manifest
   */
  public static Manifest of(
      String artifactType,
      Descriptor config,
      List<Descriptor> layers,
      Descriptor subject,
      Map<String, String> annotations) {
    return new Manifest(
        2, MediaTypes.OCI_MANIFEST, artifactType, config, layers, subject, annotations);
  }

  /**
   * The layer whose {@link Annotations#MODEL_FILEPATH} is the given path.
   *
   * @param filepath the file path inside the model directory
   * @return the layer, or null if there is none
   */
  public Descriptor layerAt(String filepath) {
    return layers.stream()
        .filter(layer -> filepath.equals(layer.annotations().get(Annotations.MODEL_FILEPATH)))
        .findFirst()
        .orElse(null);
  }
}
