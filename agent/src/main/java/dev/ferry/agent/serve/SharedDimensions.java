package dev.ferry.agent.serve;

import dev.ferry.agent.runtime.Signature;
import dev.ferry.onnx.ArrayTensor;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Checks that a request's inputs agree on each dimension the model names: ONNX gives one size to a
 * name across the graph, and ONNX Runtime would otherwise fail inside a kernel (a broadcast of [3]
 * with [4]) with an error that looks like the model's fault.
 */
final class SharedDimensions {
  private SharedDimensions() {}

  /** The first input that gave a named dimension its size. */
  private record Bound(String input, long size) {}

  /**
   * @param inputs the request's inputs, each one the model has
   * @param signature the version's, with the model's dimension names
   * @param model the model name, for the message
   * @throws InvalidRequestException naming the input, the dimension and both sizes
   */
  static void check(List<ArrayTensor> inputs, Signature signature, String model) {
    Map<String, Bound> bound = new HashMap<>();
    for (ArrayTensor tensor : inputs) {
      List<String> names = signature.dimensionNames(tensor.name());
      long[] shape = tensor.shape();
      for (int i = 0; i < Math.min(names.size(), shape.length); i++) {
        bind(bound, names.get(i), new Bound(tensor.name(), shape[i]), model);
      }
    }
  }

  private static void bind(Map<String, Bound> bound, String name, Bound next, String model) {
    if (name.isEmpty()) {
      return;
    }
    Bound first = bound.putIfAbsent(name, next);
    if (first != null && first.size() != next.size()) {
      throw new InvalidRequestException(
          "input '"
              + next.input()
              + "' has "
              + next.size()
              + " for dimension '"
              + name
              + "' where input '"
              + first.input()
              + "' has "
              + first.size()
              + "; model '"
              + model
              + "' takes one size for '"
              + name
              + "'");
    }
  }
}
