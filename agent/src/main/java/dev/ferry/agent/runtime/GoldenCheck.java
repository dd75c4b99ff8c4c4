package dev.ferry.agent.runtime;

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
      Map<String, Tensor> actual = run(version, cases.get(i), i);
      for (Tensor expected : cases.get(i).outputs()) {
        compare("golden case " + i, expected, actual.get(expected.name()), golden);
      }
    }
  }

  private static Map<String, Tensor> run(LoadedVersion version, GoldenCase golden, int index) {
    try {
      return version.run(golden.inputs(), Set.of());
    } catch (InferenceFailedException e) {
      throw new GoldenMismatchException(
          "golden case " + index + " does not run: " + e.getCause().getMessage(), e);
    }
  }

  private static void compare(String where, Tensor expected, Tensor actual, GoldenVectors golden) {
    String output = where + " output '" + expected.name() + "'";
    if (actual == null) {
      throw new GoldenMismatchException(output + " is not an output of the model");
    }
    if (!expected.shape().equals(actual.shape())) {
      throw new GoldenMismatchException(
          output + " shape: expected " + expected.shape() + ", actual " + actual.shape());
    }
    Tolerance tolerance = golden.tolerance(expected.name());
    for (int i = 0; i < expected.data().size(); i++) {
      Object want = expected.data().get(i);
      Object got = actual.data().get(i);
      if (!close(want, got, tolerance)) {
        throw new GoldenMismatchException(
            output
                + " element "
                + i
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
