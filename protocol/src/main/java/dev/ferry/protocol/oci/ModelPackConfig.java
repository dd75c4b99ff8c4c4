package dev.ferry.protocol.oci;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.ferry.protocol.json.FieldException;
import dev.ferry.protocol.json.Fields;
import java.time.Instant;
import java.util.List;

/**
 * The ModelPack model config blob ({@link MediaTypes#MODEL_CONFIG}). Its schema forbids fields it
 * does not define, so this record has only ModelPack's own fields; Ferry's data travels in layers.
 *
 * @param descriptor general facts about the model
 * @param config technical facts about the model
 * @param modelfs the digests of the layers' contents, in layer order
 */
public record ModelPackConfig(Descriptor descriptor, Config config, ModelFs modelfs) {
  /** Checks the fields. */
  public ModelPackConfig {
    Fields.required(descriptor, "descriptor");
    Fields.required(config, "config");
    Fields.required(modelfs, "modelfs");
  }

  /**
   * ModelPack's model descriptor (the subset Ferry writes).
   *
   * @param createdAt when the model was packaged
   * @param name the model name
   * @param version the model version
   * @param description a description; null when none
   * @param licenses SPDX license expressions; empty when none
   */
  @JsonInclude(JsonInclude.Include.NON_EMPTY)
  public record Descriptor(
      Instant createdAt, String name, String version, String description, List<String> licenses) {
    /** Checks the fields. */
    public Descriptor {
      Fields.text(name, "name");
      licenses = Fields.list(licenses, "licenses");
    }
  }

  /**
   * ModelPack's technical config (the subset Ferry writes).
   *
   * @param format the model format, {@code onnx}
   * @param precision the dominant precision, for example {@code fp32}; null when unknown
   */
  @JsonInclude(JsonInclude.Include.NON_EMPTY)
  public record Config(String format, String precision) {}

  /**
   * The layers' content digests.
   *
   * @param type always {@code layers}
   * @param diffIds one digest per layer, in order
   */
  public record ModelFs(String type, List<Digest> diffIds) {
    /** Checks the fields. */
    public ModelFs {
      if (!"layers".equals(type)) {
        throw new FieldException("type", "must be 'layers', got " + Fields.show(type));
      }
      diffIds = Fields.nonEmptyList(diffIds, "diffIds");
    }
  }
}
