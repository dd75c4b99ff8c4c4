package dev.ferry.agent.runtime;

import dev.ferry.onnx.ArrayTensor;
import dev.ferry.protocol.release.GoldenCase;
import dev.ferry.protocol.release.GoldenVectors;
import dev.ferry.protocol.release.Tensor;
import dev.ferry.protocol.release.Tolerance;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Runs golden vector cases on a loaded version and compares its outputs with the expected ones. */
final class GoldenCheck {
  private GoldenCheck() {}

  /** Runs every case; {@link GoldenMismatchException} at the first difference. */
  static void run(LoadedVersion version, GoldenVectors golden) {
    List<GoldenCase> cases = golden.cases();
    for (int i = 0; i < cases.size(); i++) {
      Map<String, ArrayTensor> actual = run(version, cases.get(i), i);
      for (Tensor expected : cases.get(i).outputs()) {
        compare("golden case " + i, expected, actual.get(expected.name()), golden);
      }
    }
  }

  /** Whether every case passes now. */
  static boolean passes(LoadedVersion version, GoldenVectors golden) {
    try {
      run(version, golden);
      return true;
    } catch (GoldenMismatchException e) {
      return false;
    }
  }

  private static Map<String, ArrayTensor> run(LoadedVersion version, GoldenCase golden, int index) {
    try {
      return version.run(golden.inputs().stream().map(ArrayTensor::of).toList(), Set.of());
    } catch (IllegalArgumentException | ClassCastException e) {
      throw new GoldenMismatchException(
          "golden case " + index + " has an input that does not fit its datatype: " + e, e);
    } catch (InferenceFailedException | InputRefusedException e) {
      throw new GoldenMismatchException(
          "golden case " + index + " does not run: " + e.getCause().getMessage(), e);
    }
  }

  private static void compare(
      String where, Tensor expected, ArrayTensor actual, GoldenVectors golden) {
    String output = where + " output '" + expected.name() + "'";
    if (actual == null) {
      throw new GoldenMismatchException(output + " is not an output of the model");
    }
    if (!expected.shape().equals(actual.shapeList())) {
      throw new GoldenMismatchException(
          output + " shape: expected " + expected.shape() + ", actual " + actual.shapeList());
    }
    Tolerance tolerance = golden.tolerance(expected.name());
    for (int i = 0; i < expected.data().size(); i++) {
      compare(output + " element " + i, expected.data().get(i), actual.element(i), tolerance);
    }
  }

  private static void compare(String element, Object want, Object got, Tolerance tolerance) {
    if (!close(want, got, tolerance)) {
      throw new GoldenMismatchException(
          element
              + ": expected "
              + want
              + ", actual "
              + got
              + " (atol "
              + tolerance.atol()
              + ", rtol "
              + tolerance.rtol()
              + ")");
    }
  }

  /** numpy's allclose rule for numbers (infinities equal only to themselves); equality else. */
  static boolean close(Object expected, Object actual, Tolerance tolerance) {
    if (!(expected instanceof Number want) || !(actual instanceof Number got)) {
      return expected.equals(actual);
    }
    double e = want.doubleValue();
    double a = got.doubleValue();
    return Double.isInfinite(e) ? a == e : tolerance.accepts(a, e);
  }
}
