package dev.ferry.hub.packaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.ferry.protocol.release.Datatype;
import dev.ferry.protocol.release.GoldenCase;
import dev.ferry.protocol.release.GoldenVectors;
import dev.ferry.protocol.release.Tensor;
import dev.ferry.protocol.release.Tolerance;
import dev.ferry.protocol.testing.OnnxModels;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GoldenVectorRunnerTest {
  private static final double[][] X = {{0.5, -1, 2, 1.5}, {-0.5, 0, 1, -2}};

  @TempDir Path dir;
  private Path model;
  private OnnxModels.Linear linear;
  private ModelSignature signature;

  @BeforeEach
  void writeModel() {
    model = dir.resolve("model.onnx");
    linear = OnnxModels.matMulAdd(model, "x", OnnxModels.DYNAMIC, 4, 3, 7);
    signature = OnnxInspector.inspect(model);
  }

  @Test
  void run_computesXTimesWPlusB_forGivenInputs() {
    GoldenVectors golden = golden(List.of(x()), List.of());

    GoldenVectors completed = run(golden);

    assertEquals(
        new GoldenVectors(List.of(new GoldenCase(List.of(x()), List.of(y(0)))), Map.of()),
        completed);
  }

  @Test
  void run_keepsExpectedOutputsWithinTolerance() {
    Tensor expected = y(1e-4);
    GoldenVectors golden =
        new GoldenVectors(
            List.of(new GoldenCase(List.of(x()), List.of(expected))),
            Map.of("y", new Tolerance(2e-4, 0)));

    assertEquals(golden, run(golden));
  }

  @Test
  void run_rejectsExpectedOutputsOutsideTolerance() {
    Tensor wrong =
        new Tensor(
            "y", Datatype.FP32, List.of(2L, 3L), List.of(-0.5, 1.0, -0.625, -2.25, 1.375, -2.6));
    GoldenVectors golden =
        new GoldenVectors(
            List.of(
                new GoldenCase(List.of(x()), List.of(y(0))),
                new GoldenCase(List.of(x()), List.of(wrong))),
            Map.of());

    assertEquals(
        "case 1 output 'y' element 5: expected -2.6, got -2.625 (atol 1.0E-4, rtol 0.001; 1 of 6"
            + " elements differ)",
        message(golden));
  }

  @Test
  void run_rejectsAnUnknownInputName() {
    Tensor z = new Tensor("z", Datatype.FP32, List.of(1L, 4L), List.of(1, 2, 3, 4));

    assertEquals(
        "case 0 input 'z' is not an input of the model; inputs: [x]",
        message(golden(List.of(z), List.of())));
  }

  @Test
  void run_rejectsAWrongShape() {
    Tensor x = new Tensor("x", Datatype.FP32, List.of(2L, 2L), List.of(1, 2, 3, 4));

    assertEquals(
        "case 0 input 'x' must have shape [-1, 4], got [2, 2]",
        message(golden(List.of(x), List.of())));
  }

  @Test
  void run_rejectsAWrongDatatype() {
    Tensor x = new Tensor("x", Datatype.INT64, List.of(1L, 4L), List.of(1, 2, 3, 4));

    assertEquals(
        "case 0 input 'x' must be FP32, got INT64", message(golden(List.of(x), List.of())));
  }

  @Test
  void run_rejectsAMissingInput() {
    Path add = dir.resolve("add.onnx");
    OnnxModels.add(add);
    Tensor a = new Tensor("a", Datatype.FP32, List.of(2L), List.of(1, 2));

    InvalidGoldenException e =
        assertThrows(
            InvalidGoldenException.class,
            () ->
                GoldenVectorRunner.run(
                    add, OnnxInspector.inspect(add), golden(List.of(a), List.of()), null, 1));

    assertEquals("case 0 lacks input 'b' (FP32 [2])", e.getMessage());
  }

  @Test
  void run_rejectsAnElementOutsideItsIntegerType() {
    Path int8 = dir.resolve("int8.onnx");
    OnnxModels.identity(int8, OnnxModels.INT8, List.of(3L));
    Tensor x = new Tensor("x", Datatype.INT8, List.of(3L), List.of(1, -128, 300));

    InvalidGoldenException e =
        assertThrows(
            InvalidGoldenException.class,
            () ->
                GoldenVectorRunner.run(
                    int8, OnnxInspector.inspect(int8), golden(List.of(x), List.of()), null, 1));

    assertEquals(
        "case 0 input 'x' data[2] must be a whole number in [-128, 127] for INT8, got 300",
        e.getMessage());
  }

  @Test
  void run_rejectsAnExpectedOutputOfAnotherShape() {
    Tensor y = new Tensor("y", Datatype.FP32, List.of(1L, 3L), List.of(0, 0, 0));

    assertEquals(
        "case 0 output 'y' has shape [1, 3] but the model computes [2, 3]",
        message(golden(List.of(x()), List.of(y))));
  }

  @Test
  void run_rejectsToleranceForAnUnknownOutput() {
    GoldenVectors golden =
        new GoldenVectors(
            List.of(new GoldenCase(List.of(x()), List.of())), Map.of("why", Tolerance.DEFAULT));

    assertEquals(
        "tolerances name output 'why', which is not an output of the model; outputs: [y]",
        message(golden));
  }

  private GoldenVectors run(GoldenVectors golden) {
    return GoldenVectorRunner.run(model, signature, golden, Map.of(), 1);
  }

  private String message(GoldenVectors golden) {
    return assertThrows(InvalidGoldenException.class, () -> run(golden)).getMessage();
  }

  private static GoldenVectors golden(List<Tensor> inputs, List<Tensor> outputs) {
    return new GoldenVectors(List.of(new GoldenCase(inputs, outputs)), Map.of());
  }

  private static Tensor x() {
    List<Object> data = new ArrayList<>();
    for (double[] row : X) {
      for (double value : row) {
        data.add(value);
      }
    }
    return new Tensor("x", Datatype.FP32, List.of(2L, 4L), data);
  }

  /** The hand-computed y, each element shifted by {@code delta}. */
  private Tensor y(double delta) {
    List<Object> data = new ArrayList<>();
    for (double[] row : X) {
      for (double value : linear.apply(row)) {
        data.add(value + delta);
      }
    }
    return new Tensor("y", Datatype.FP32, List.of(2L, 3L), data);
  }
}
