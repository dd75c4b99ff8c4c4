package dev.ferry.hub.packaging;

import dev.ferry.protocol.release.ServingSpec;
import dev.ferry.protocol.release.SessionHints;
import dev.ferry.protocol.release.TensorSpec;
import java.util.List;
import java.util.Map;

/**
 * What {@link OnnxInspector} read from a model: its tensor inputs and outputs in graph order, its
 * default-domain opset, and the symbolic names of dynamic dimensions.
 *
 * @param inputs the graph inputs; dynamic dimensions are -1
 * @param outputs the graph outputs; dynamic dimensions are -1
 * @param opset the version of the default ONNX domain the model imports
 * @param dimNames per tensor name, one entry per dimension: its symbolic name, or "" where it has
 *     none; only tensors with at least one symbolic dimension appear
 */
public record ModelSignature(
    List<TensorSpec> inputs,
    List<TensorSpec> outputs,
    long opset,
    Map<String, List<String>> dimNames) {
  /** Copies the collections. */
  public ModelSignature {
    inputs = List.copyOf(inputs);
    outputs = List.copyOf(outputs);
    dimNames = Map.copyOf(dimNames);
  }

  /**
   * The symbolic name of one dimension.
   *
   * @param tensor the tensor name
   * @param dim the dimension index
   * @return its name, or "" if it has none
   */
  public String dimName(String tensor, int dim) {
    List<String> names = dimNames.get(tensor);
    return names == null || dim >= names.size() ? "" : names.get(dim);
  }

  /**
   * The {@code serving.json} of a release of this model.
   *
   * @param model the model name
   * @param version the release version
   * @param executionProviders the providers allowed to run it; empty allows any
   * @param sessionHints suggested session options; {@link SessionHints#NONE} when none
   * @return the serving spec
   */
  public ServingSpec servingSpec(
      String model, String version, List<String> executionProviders, SessionHints sessionHints) {
    return new ServingSpec(
        model,
        version,
        ServingSpec.ONNX_PLATFORM,
        opset,
        inputs,
        outputs,
        executionProviders,
        sessionHints);
  }
}
