package dev.ferry.agent.serve;

import dev.ferry.onnx.ArrayTensor;
import java.util.List;
import java.util.Map;

/**
 * A parsed infer request, its elements checked for their datatype but not yet against a model.
 *
 * @param id the caller's id, echoed; null when absent
 * @param inputs the input tensors
 * @param outputs the outputs asked for; empty for all
 * @param binaryByDefault {@code parameters.binary_data_output}: answer outputs as binary data
 * @param binaryOutputs {@code outputs[].parameters.binary_data} where given, by output name
 */
public record InferRequest(
    String id,
    List<ArrayTensor> inputs,
    List<String> outputs,
    boolean binaryByDefault,
    Map<String, Boolean> binaryOutputs) {
  /** Copies the collections. */
  public InferRequest {
    inputs = List.copyOf(inputs);
    outputs = List.copyOf(outputs);
    binaryOutputs = Map.copyOf(binaryOutputs);
  }

  /** Whether an output goes back as binary data. */
  public boolean binary(String output) {
    return binaryOutputs.getOrDefault(output, binaryByDefault);
  }
}
