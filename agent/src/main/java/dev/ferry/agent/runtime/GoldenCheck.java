package dev.ferry.agent.runtime;

import dev.ferry.onnx.ArrayTensor;
import dev.ferry.protocol.release.Datatype;
import dev.ferry.protocol.release.GoldenCase;
import dev.ferry.protocol.release.GoldenVectors;
import dev.ferry.protocol.release.Tensor;
import dev.ferry.protocol.release.Tolerance;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.IntToDoubleFunction;

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
    if (expected.raw() == null) {
      for (int i = 0; i < expected.data().size(); i++) {
        compare(output + " element " + i, expected.data().get(i), actual.element(i), tolerance);
      }
    } else {
      compareRaw(output, wanted(output, expected), actual, tolerance);
    }
  }

  /** A raw expected output, decoded straight into its primitive array. */
  private static ArrayTensor wanted(String output, Tensor expected) {
    try {
      return ArrayTensor.of(expected);
    } catch (IllegalArgumentException e) {
      throw new GoldenMismatchException(output + " cannot be compared: " + e.getMessage(), e);
    }
  }

  /** Numbers compared as primitives, element by element; booleans by equality. */
  private static void compareRaw(
      String output, ArrayTensor want, ArrayTensor got, Tolerance tolerance) {
    if (!want.datatype().isNumeric() || !got.datatype().isNumeric()) {
      for (int i = 0; i < want.size(); i++) {
        compare(output + " element " + i, want.element(i), got.element(i), tolerance);
      }
      return;
    }
    IntToDoubleFunction wanted = numbers(want.elements(), want.datatype());
    IntToDoubleFunction actual = numbers(got.elements(), got.datatype());
    for (int i = 0; i < want.size(); i++) {
      if (!close(wanted.applyAsDouble(i), actual.applyAsDouble(i), tolerance)) {
        compare(output + " element " + i, want.element(i), got.element(i), tolerance);
      }
    }
  }

  /** A numeric tensor's elements as doubles, read from its array in place (UINT8 unsigned). */
  private static IntToDoubleFunction numbers(Object elements, Datatype datatype) {
    if (elements instanceof float[] a) {
      return i -> a[i];
    }
    if (elements instanceof byte[] a) {
      return datatype == Datatype.UINT8 ? i -> Byte.toUnsignedInt(a[i]) : i -> a[i];
    }
    return wideNumbers(elements);
  }

  private static IntToDoubleFunction wideNumbers(Object elements) {
    if (elements instanceof double[] a) {
      return i -> a[i];
    }
    if (elements instanceof short[] a) {
      return i -> a[i];
    }
    if (elements instanceof int[] a) {
      return i -> a[i];
    }
    long[] a = (long[]) elements;
    return i -> a[i];
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
    return close(want.doubleValue(), got.doubleValue(), tolerance);
  }

  private static boolean close(double expected, double actual, Tolerance tolerance) {
    return Double.isInfinite(expected) ? actual == expected : tolerance.accepts(actual, expected);
  }
}
