package dev.ferry.hub.packaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.protocol.json.JsonCodec;
import dev.ferry.protocol.release.Datatype;
import dev.ferry.protocol.release.GoldenCase;
import dev.ferry.protocol.release.GoldenVectors;
import dev.ferry.protocol.release.Precision;
import dev.ferry.protocol.release.Tensor;
import dev.ferry.protocol.testing.OnnxModels;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The checks of a release's variants, with ONNX Runtime on real generated models. */
class VariantChecksTest {
  private static final JsonCodec CODEC = new JsonCodec();

  @TempDir Path dir;
  private Path fp32;
  private Path fp16;
  private final VariantChecks checks =
      new VariantChecks(OnnxInspector::inspect, VariantChecksTest::read);

  @BeforeEach
  void models() {
    fp32 = dir.resolve("fp32.onnx");
    fp16 = dir.resolve("fp16.onnx");
    OnnxModels.matMulAdd(fp32, "x", 1, 4, 2, 7);
    OnnxModels.matMulAddHalf(fp16, "x", 1, 4, 2, 7);
  }

  @Test
  void check_runsCpuVariantsAndGivesAGpuVariantTheReferenceOutputsAtItsPrecision() {
    List<VariantChecks.Checked> checked =
        checks.check(List.of(gpu("fp16-cuda", fp16, null), cpu("fp32-cpu", fp32)), Map.of(), 5);
    assertEquals("fp16-cuda", checked.get(0).upload().target().name());
    assertFalse(checked.get(0).checkedAtPublish());
    assertTrue(checked.get(1).checkedAtPublish());
    GoldenVectors reference = checked.get(1).golden();
    assertEquals(reference.cases(), checked.get(0).golden().cases());
    assertEquals(PrecisionTolerance.HALF, checked.get(0).golden().tolerance("y"));
  }

  @Test
  void check_refusesVariantsWhoseOutputsDiffer() {
    Path wider = dir.resolve("wider.onnx");
    OnnxModels.matMulAdd(wider, "x", 1, 4, 3, 7);
    var error =
        assertThrows(
            InvalidVariantException.class,
            () -> checks.check(List.of(cpu("a", fp32), cpu("b", wider)), Map.of(), 5));
    assertEquals(
        "variant 'b' has inputs [TensorSpec[name=x, datatype=FP32, shape=[1, 4]]] and outputs"
            + " [TensorSpec[name=y, datatype=FP32, shape=[1, 3]]], but variant 'a' has"
            + " [TensorSpec[name=x, datatype=FP32, shape=[1, 4]]] and"
            + " [TensorSpec[name=y, datatype=FP32, shape=[1, 2]]]; every variant must have the"
            + " same inputs and outputs",
        error.getMessage());
  }

  @Test
  void check_refusesTwoVariantsOfOneName() {
    var error =
        assertThrows(
            InvalidVariantException.class,
            () -> checks.check(List.of(cpu("a", fp32), cpu("a", fp16)), Map.of(), 5));
    assertEquals("variant 'a' is given twice", error.getMessage());
  }

  @Test
  void check_refusesAGpuOnlyReleaseWithoutExpectedOutputs() {
    var error =
        assertThrows(
            InvalidGoldenException.class,
            () -> checks.check(List.of(gpu("fp16-cuda", fp16, null)), Map.of(), 5));
    assertEquals(
        "variant 'fp16-cuda' runs on [CUDA] only and no variant runs on CPU, so the hub cannot"
            + " compute its expected outputs: send its golden vectors with outputs as"
            + " variant.fp16-cuda.golden",
        error.getMessage());
  }

  @Test
  void check_refusesGpuGoldenVectorsWithoutOutputs() throws IOException {
    Path golden = dir.resolve("golden.json");
    Files.write(golden, CODEC.encode(new GoldenVectors(List.of(inputsOnly()), Map.of())));
    var error =
        assertThrows(
            InvalidGoldenException.class,
            () ->
                checks.check(
                    List.of(cpu("fp32-cpu", fp32), gpu("fp16-cuda", fp16, golden)), Map.of(), 5));
    assertEquals(
        "variant 'fp16-cuda' runs on [CUDA] only, so the hub cannot compute its outputs: case 0"
            + " lacks output 'y'",
        error.getMessage());
  }

  @Test
  void check_keepsTheExpectedOutputsAGpuVariantIsGiven() throws IOException {
    Tensor y = new Tensor("y", Datatype.FP32, List.of(1L, 2L), List.of(0.5, -0.25));
    GoldenVectors given =
        new GoldenVectors(List.of(new GoldenCase(inputsOnly().inputs(), List.of(y))), Map.of());
    Path golden = Files.write(dir.resolve("golden.json"), CODEC.encode(given));
    List<VariantChecks.Checked> checked =
        checks.check(List.of(gpu("fp16-cuda", fp16, golden)), Map.of(), 5);
    assertEquals(given, checked.get(0).golden());
  }

  private static GoldenCase inputsOnly() {
    return new GoldenCase(
        List.of(new Tensor("x", Datatype.FP32, List.of(1L, 4L), List.of(1.0, 2.0, 3.0, 4.0))),
        List.of());
  }

  private static VariantUpload cpu(String name, Path model) {
    return new VariantUpload(new VariantTarget(name, List.of("CPU"), Precision.FP32), model, null);
  }

  private static VariantUpload gpu(String name, Path model, Path golden) {
    return new VariantUpload(
        new VariantTarget(name, List.of("CUDA"), Precision.FP16), model, golden);
  }

  private static GoldenVectors read(Path file) {
    try {
      return CODEC.decode(Files.readAllBytes(file), GoldenVectors.class);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
