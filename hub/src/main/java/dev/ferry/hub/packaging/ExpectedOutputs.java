package dev.ferry.hub.packaging;

import dev.ferry.protocol.json.Fields;
import dev.ferry.protocol.release.GoldenCase;
import dev.ferry.protocol.release.Tensor;
import dev.ferry.protocol.release.TensorSpec;
import dev.ferry.protocol.release.Tolerance;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Compares a golden case's expected outputs with the computed ones, and fills in those not given.
 */
final class ExpectedOutputs {
  private ExpectedOutputs() {}

  /**
   * The case's outputs in the model's output order: each expected one that the model reproduces
   * within tolerance, and the computed one where none was expected.
   */
  static List<Tensor> complete(
      int index,
      GoldenCase golden,
      Map<String, Tensor> actual,
      ModelSignature signature,
      Map<String, Tolerance> tolerances) {
    String where = "case " + index;
    Map<String, Tensor> expected = new HashMap<>();
    for (Tensor tensor : golden.outputs()) {
      if (GoldenInputs.find(signature.outputs(), tensor.name()) == null) {
        throw new InvalidGoldenException(
            where
                + " output "
                + Fields.show(tensor.name())
                + " is not an output of the model; outputs: "
                + GoldenInputs.names(signature.outputs()));
      }
      if (expected.put(tensor.name(), tensor) != null) {
        throw new InvalidGoldenException(
            where + " gives output " + Fields.show(tensor.name()) + " twice");
      }
      Tolerance tolerance = tolerances.getOrDefault(tensor.name(), Tolerance.DEFAULT);
      compare(
          where + " output " + Fields.show(tensor.name()),
          tensor,
          actual.get(tensor.name()),
          tolerance);
    }
    List<Tensor> outputs = new ArrayList<>();
    for (TensorSpec spec : signature.outputs()) {
      outputs.add(expected.getOrDefault(spec.name(), actual.get(spec.name())));
    }
    return outputs;
  }

  private static void compare(String what, Tensor expected, Tensor actual, Tolerance tolerance) {
    if (expected.datatype() != actual.datatype()) {
      throw new InvalidGoldenException(
          what + " must be " + actual.datatype() + ", got " + expected.datatype());
    }
    if (!expected.shape().equals(actual.shape())) {
      throw new InvalidGoldenException(
          what + " has shape " + expected.shape() + " but the model computes " + actual.shape());
    }
    int first = -1;
    int differing = 0;
    for (int i = 0; i < expected.data().size(); i++) {
      if (!close(actual.data().get(i), expected.data().get(i), tolerance)) {
        first = differing++ == 0 ? i : first;
      }
    }
    if (differing > 0) {
      throw new InvalidGoldenException(
          what
              + " element "
              + first
              + ": expected "
              + expected.data().get(first)
              + ", got "
              + actual.data().get(first)
              + " (atol "
              + tolerance.atol()
              + ", rtol "
              + tolerance.rtol()
              + "; "
              + differing
              + " of "
              + expected.data().size()
              + " elements differ)");
    }
  }

  private static boolean close(Object actual, Object expected, Tolerance tolerance) {
    if (actual instanceof Boolean) {
      return actual.equals(expected);
    }
    return tolerance.accepts(((Number) actual).doubleValue(), ((Number) expected).doubleValue());
  }
}
