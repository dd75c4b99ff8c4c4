package dev.ferry.protocol.release;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.ferry.protocol.json.FieldException;
import dev.ferry.protocol.json.Fields;
import dev.ferry.protocol.json.MaxBytes;
import dev.ferry.protocol.json.Schema;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * {@code serving.json}, a layer of every model artifact: the model's I/O signature in Open
 * Inference Protocol metadata shape, its opset, the execution providers it may run on, and session
 * hints.
 *
 * @param model the model name
 * @param version the release version
 * @param platform always {@value #ONNX_PLATFORM}
 * @param opset the model's default-domain ONNX opset
 * @param inputs the graph inputs
 * @param outputs the graph outputs
 * @param executionProviders the execution providers allowed to run it (for example {@code CUDA},
 *     {@code CPU}); empty allows any
 * @param sessionHints ONNX Runtime session options the release manager suggests; {@link
 *     SessionHints#NONE} when none (also when absent)
 * @param captureForbidden {@code true} when no device may capture this release's traffic, whatever
 *     capture policy a desired state carries; otherwise null, and left out of the JSON (so releases
 *     made before capture existed read the same); see {@link #forbidsCapture()}
 */
@Schema("ferry.serving/v1")
@MaxBytes(16 << 20)
public record ServingSpec(
    String model,
    String version,
    String platform,
    @JsonProperty(required = true) long opset,
    List<TensorSpec> inputs,
    List<TensorSpec> outputs,
    List<String> executionProviders,
    SessionHints sessionHints,
    @JsonInclude(JsonInclude.Include.NON_NULL) Boolean captureForbidden) {

  /** The Open Inference Protocol platform name of ONNX models. */
  public static final String ONNX_PLATFORM = "onnx_onnxv1";

  /** Checks the fields; tensor names must be unique per side. */
  public ServingSpec {
    ModelNames.requireName(model, "model");
    ModelNames.requireVersion(version, "version");
    if (!ONNX_PLATFORM.equals(platform)) {
      throw new FieldException(
          "platform", "must be '" + ONNX_PLATFORM + "', got " + Fields.show(platform));
    }
    Fields.atLeast(opset, 1, "opset");
    inputs = unique(Fields.nonEmptyList(inputs, "inputs"), "inputs");
    outputs = unique(Fields.nonEmptyList(outputs, "outputs"), "outputs");
    executionProviders = Fields.list(executionProviders, "executionProviders");
    sessionHints = sessionHints == null ? SessionHints.NONE : sessionHints;
    captureForbidden = Boolean.TRUE.equals(captureForbidden) ? Boolean.TRUE : null;
  }

  /** Whether the release forbids capturing its traffic. */
  public boolean forbidsCapture() {
    return captureForbidden != null;
  }

  /**
   * A serving spec that allows capture.
   *
   * @param model the model name
   * @param version the release version
   * @param platform always {@value #ONNX_PLATFORM}
   * @param opset the model's default-domain ONNX opset
   * @param inputs the graph inputs
   * @param outputs the graph outputs
   * @param executionProviders the execution providers allowed; empty allows any
   * @param sessionHints session options; {@link SessionHints#NONE} when none
   */
  public ServingSpec(
      String model,
      String version,
      String platform,
      long opset,
      List<TensorSpec> inputs,
      List<TensorSpec> outputs,
      List<String> executionProviders,
      SessionHints sessionHints) {
    this(model, version, platform, opset, inputs, outputs, executionProviders, sessionHints, null);
  }

  /**
   * The declared input of that name.
   *
   * @param name the tensor name
   * @return the spec, or null if there is none
   */
  public TensorSpec input(String name) {
    return inputs.stream().filter(t -> t.name().equals(name)).findFirst().orElse(null);
  }

  private static List<TensorSpec> unique(List<TensorSpec> tensors, String field) {
    Set<String> seen = new HashSet<>();
    for (TensorSpec tensor : tensors) {
      if (!seen.add(tensor.name())) {
        throw new FieldException(field, "names tensor " + Fields.show(tensor.name()) + " twice");
      }
    }
    return tensors;
  }
}
