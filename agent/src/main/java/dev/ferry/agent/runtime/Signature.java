package dev.ferry.agent.runtime;

import dev.ferry.protocol.release.TensorSpec;
import java.util.List;
import java.util.Map;

/**
 * A version's tensors as it serves them: serving.json's inputs and outputs with every dimension the
 * model fixes filled in, and the model's names of its dimensions ("" for an unnamed one), so that a
 * dynamic output dimension named like an input's can be sized from a request.
 *
 * @param inputs the inputs
 * @param outputs the outputs
 * @param dimensionNames each tensor's dimension names by tensor name, inputs and outputs
 */
public record Signature(
    List<TensorSpec> inputs, List<TensorSpec> outputs, Map<String, List<String>> dimensionNames) {
  /** Copies the lists. */
  public Signature {
    inputs = List.copyOf(inputs);
    outputs = List.copyOf(outputs);
    dimensionNames = Map.copyOf(dimensionNames);
  }

  /** The dimension names of a tensor; empty when the model names none. */
  public List<String> dimensionNames(String tensor) {
    return dimensionNames.getOrDefault(tensor, List.of());
  }
}
