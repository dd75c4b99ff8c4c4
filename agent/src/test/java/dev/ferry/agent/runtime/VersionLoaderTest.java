package dev.ferry.agent.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.onnx.ArrayTensor;
import dev.ferry.protocol.release.Datatype;
import dev.ferry.protocol.release.GoldenCase;
import dev.ferry.protocol.release.GoldenVectors;
import dev.ferry.protocol.release.ServingSpec;
import dev.ferry.protocol.release.SessionHints;
import dev.ferry.protocol.release.Tensor;
import dev.ferry.protocol.release.TensorSpec;
import dev.ferry.protocol.testing.OnnxModels;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VersionLoaderTest {
  @TempDir Path dir;

  @Test
  void load_passesGoldenOnCpu() {
    TestVersions.Linear linear = TestVersions.linear(dir, "m", "1.0.0", 7);
    assertEquals("CPU", linear.version().provider());
    assertEquals("1.0.0", linear.version().version());
  }

  @Test
  void load_fillsInDimensionsTheModelFixes() {
    Path file = dir.resolve("m.onnx");
    OnnxModels.Linear weights = OnnxModels.matMulAdd(file, "x", OnnxModels.DYNAMIC, 4, 3, 1);
    ServingSpec spec =
        TestVersions.spec(
            "m",
            "1.0.0",
            List.of(new TensorSpec("x", Datatype.FP32, List.of(-1L, -1L))),
            List.of(new TensorSpec("y", Datatype.FP32, List.of(-1L, 3L))));
    LoadedVersion version = load(file, spec, TestVersions.linearGolden(weights));
    assertEquals(List.of(-1L, 4L), version.inputs().get(0).shape());
  }

  @Test
  void load_rejectsOutputOutsideTolerance() {
    Path file = dir.resolve("m.onnx");
    OnnxModels.Linear weights = OnnxModels.matMulAdd(file, "x", OnnxModels.DYNAMIC, 4, 3, 1);
    double actual = weights.apply(new double[] {1, 2, 3, 4})[1];
    GoldenVectors golden = shifted(TestVersions.linearGolden(weights), 1, 0.5);
    GoldenMismatchException e =
        assertThrows(
            GoldenMismatchException.class,
            () -> load(file, TestVersions.linearSpec("m", "1.0.0"), golden));
    assertEquals(
        "golden case 0 output 'y' element 1: expected "
            + (actual + 0.5)
            + ", actual "
            + (float) actual
            + " (atol 1.0E-4, rtol 0.001)",
        e.getMessage());
  }

  @Test
  void load_acceptsOutputWithinTolerance() {
    Path file = dir.resolve("m.onnx");
    OnnxModels.Linear weights = OnnxModels.matMulAdd(file, "x", OnnxModels.DYNAMIC, 4, 3, 1);
    GoldenVectors golden = shifted(TestVersions.linearGolden(weights), 2, 0.00005);
    assertEquals("1.0.0", load(file, TestVersions.linearSpec("m", "1.0.0"), golden).version());
  }

  @Test
  void load_passesRawGolden() {
    Path file = dir.resolve("m.onnx");
    OnnxModels.Linear weights = OnnxModels.matMulAdd(file, "x", OnnxModels.DYNAMIC, 4, 3, 1);
    GoldenVectors golden = raw(TestVersions.linearGolden(weights));
    assertEquals(12, golden.cases().get(0).outputs().get(0).raw().length);
    assertEquals("1.0.0", load(file, TestVersions.linearSpec("m", "1.0.0"), golden).version());
  }

  @Test
  void load_rejectsRawOutputOutsideTolerance() {
    Path file = dir.resolve("m.onnx");
    OnnxModels.Linear weights = OnnxModels.matMulAdd(file, "x", OnnxModels.DYNAMIC, 4, 3, 1);
    double actual = weights.apply(new double[] {1, 2, 3, 4})[1];
    GoldenVectors golden = raw(shifted(TestVersions.linearGolden(weights), 1, 0.5));
    GoldenMismatchException e =
        assertThrows(
            GoldenMismatchException.class,
            () -> load(file, TestVersions.linearSpec("m", "1.0.0"), golden));
    assertEquals(
        "golden case 0 output 'y' element 1: expected "
            + (float) (actual + 0.5)
            + ", actual "
            + (float) actual
            + " (atol 1.0E-4, rtol 0.001)",
        e.getMessage());
  }

  @Test
  void load_comparesRawIntegerAndBooleanOutputs() {
    assertRawIdentity(Datatype.UINT8, OnnxModels.UINT8, List.of(0L, 255L), List.of(0L, 254L));
    assertRawIdentity(Datatype.BOOL, OnnxModels.BOOL, List.of(true, false), List.of(true, true));
    assertRawIdentity(Datatype.INT64, OnnxModels.INT64, List.of(-5L, 7L), List.of(-5L, 8L));
  }

  private void assertRawIdentity(Datatype datatype, int elemType, List<?> sample, List<?> wrong) {
    Path file = dir.resolve("id-" + datatype + ".onnx");
    List<Long> shape = List.of(2L);
    OnnxModels.identity(file, elemType, new ArrayList<>(shape));
    ServingSpec spec =
        TestVersions.spec(
            "id",
            "1.0.0",
            List.of(new TensorSpec("x", datatype, shape)),
            List.of(new TensorSpec("y", datatype, shape)));
    Tensor x = new Tensor("x", datatype, shape, new ArrayList<>(sample));
    Tensor good = new Tensor("y", datatype, shape, new ArrayList<>(sample));
    Tensor bad = new Tensor("y", datatype, shape, new ArrayList<>(wrong));
    assertEquals("1.0.0", load(file, spec, raw(golden(x, good))).version());
    GoldenMismatchException e =
        assertThrows(GoldenMismatchException.class, () -> load(file, spec, raw(golden(x, bad))));
    assertEquals(
        "golden case 0 output 'y' element 1: expected "
            + wrong.get(1)
            + ", actual "
            + sample.get(1)
            + " (atol 1.0E-4, rtol 0.001)",
        e.getMessage());
  }

  @Test
  void load_rejectsDatatypeMismatch() {
    assertMismatch(
        List.of(-1L, 4L),
        Datatype.INT64,
        "x",
        "input 'x' datatype: serving.json says INT64, the model has FP32");
  }

  @Test
  void load_rejectsRankMismatch() {
    assertMismatch(
        List.of(-1L),
        Datatype.FP32,
        "x",
        "input 'x' rank: serving.json says 1 [-1], the model has 2 [-1, 4]");
  }

  @Test
  void load_rejectsFixedDimensionMismatch() {
    assertMismatch(
        List.of(-1L, 5L),
        Datatype.FP32,
        "x",
        "input 'x' shape[1]: serving.json says 5, the model has 4");
  }

  @Test
  void load_rejectsUndeclaredModelInput() {
    assertMismatch(
        List.of(-1L, 4L),
        Datatype.FP32,
        "z",
        "model input 'x' is not declared in serving.json inputs [z]");
  }

  @Test
  void load_rejectsFileThatIsNoModel() throws IOException {
    Path file = Files.writeString(dir.resolve("bad.onnx"), "not a model");
    ModelLoadException e =
        assertThrows(
            ModelLoadException.class,
            () -> load(file, TestVersions.linearSpec("m", "1.0.0"), anyGolden()));
    assertTrue(e.getMessage().startsWith("model bad.onnx does not load on CPU: "), e.getMessage());
  }

  @Test
  void load_appliesTheReleasesSessionHints() {
    Path file = dir.resolve("m.onnx");
    OnnxModels.Linear weights = OnnxModels.matMulAdd(file, "x", OnnxModels.DYNAMIC, 4, 3, 1);
    ServingSpec base = TestVersions.linearSpec("m", "1.0.0");
    SessionHints hints = new SessionHints(2, 1, "BASIC", false, true, null);
    ServingSpec hinted =
        new ServingSpec(
            "m", "1.0.0", base.platform(), 17, base.inputs(), base.outputs(), List.of(), hints);
    LoadedVersion version = load(file, hinted, TestVersions.linearGolden(weights));
    assertEquals(2, version.plan().intraOpThreads());
    assertEquals(1, version.plan().interOpThreads());
    assertEquals(
        ai.onnxruntime.OrtSession.SessionOptions.OptLevel.BASIC_OPT, version.plan().optimization());
    assertEquals(false, version.plan().memoryArena());
  }

  @Test
  void load_rejectsReleaseThatAllowsNoProviderHere() {
    Path file = dir.resolve("m.onnx");
    OnnxModels.Linear weights = OnnxModels.matMulAdd(file, "x", OnnxModels.DYNAMIC, 4, 3, 1);
    ServingSpec base = TestVersions.linearSpec("m", "1.0.0");
    ServingSpec cudaOnly =
        new ServingSpec(
            "m",
            "1.0.0",
            base.platform(),
            17,
            base.inputs(),
            base.outputs(),
            List.of("CUDA"),
            SessionHints.NONE);
    NoExecutionProviderException e =
        assertThrows(
            NoExecutionProviderException.class,
            () -> load(file, cudaOnly, TestVersions.linearGolden(weights)));
    assertEquals(
        "no execution provider fits: preference [CPU], available [CPU], release allows [CUDA]",
        e.getMessage());
  }

  private void assertMismatch(List<Long> shape, Datatype datatype, String name, String message) {
    Path file = dir.resolve("m.onnx");
    OnnxModels.Linear weights = OnnxModels.matMulAdd(file, "x", OnnxModels.DYNAMIC, 4, 3, 1);
    ServingSpec spec =
        TestVersions.spec(
            "m",
            "1.0.0",
            List.of(new TensorSpec(name, datatype, shape)),
            List.of(new TensorSpec("y", Datatype.FP32, List.of(-1L, 3L))));
    SignatureMismatchException e =
        assertThrows(
            SignatureMismatchException.class,
            () -> load(file, spec, TestVersions.linearGolden(weights)));
    assertEquals(message, e.getMessage());
  }

  private static LoadedVersion load(Path file, ServingSpec spec, GoldenVectors golden) {
    return VersionLoader.load(file, spec, () -> golden, TestVersions.CPU_ONLY);
  }

  private static GoldenVectors anyGolden() {
    return TestVersions.linearGolden(new OnnxModels.Linear(new float[4][3], new float[3]));
  }

  private static GoldenVectors golden(Tensor input, Tensor output) {
    return new GoldenVectors(List.of(new GoldenCase(List.of(input), List.of(output))), Map.of());
  }

  /** The vectors as the hub packages them: every tensor raw. */
  private static GoldenVectors raw(GoldenVectors golden) {
    GoldenCase only = golden.cases().get(0);
    return new GoldenVectors(
        List.of(new GoldenCase(rawList(only.inputs()), rawList(only.outputs()))),
        golden.tolerances());
  }

  private static List<Tensor> rawList(List<Tensor> tensors) {
    return tensors.stream().map(t -> ArrayTensor.of(t).toRawTensor()).toList();
  }

  private static GoldenVectors shifted(GoldenVectors golden, int element, double by) {
    GoldenCase only = golden.cases().get(0);
    Tensor y = only.outputs().get(0);
    List<Object> data = new ArrayList<>(y.data());
    data.set(element, ((Number) data.get(element)).doubleValue() + by);
    Tensor moved = new Tensor(y.name(), y.datatype(), y.shape(), data);
    return new GoldenVectors(List.of(new GoldenCase(only.inputs(), List.of(moved))), Map.of());
  }
}
