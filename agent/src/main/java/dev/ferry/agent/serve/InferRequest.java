package dev.ferry.agent.serve;

import dev.ferry.protocol.release.Tensor;
import java.util.List;

/**
 * A parsed infer request, its elements checked for their datatype but not yet against a model.
 *
 * @param id the caller's id, echoed; null when absent
 * @param inputs the input tensors, data flattened
 * @param outputs the outputs asked for; empty for all
 */
public record InferRequest(String id, List<Tensor> inputs, List<String> outputs) {
  /** Copies the lists. */
  public InferRequest {
    inputs = List.copyOf(inputs);
    outputs = List.copyOf(outputs);
  }
}
