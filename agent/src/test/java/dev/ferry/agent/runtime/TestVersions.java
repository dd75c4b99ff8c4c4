package dev.ferry.agent.runtime;

import dev.ferry.protocol.release.Datatype;
import dev.ferry.protocol.release.GoldenCase;
import dev.ferry.protocol.release.GoldenVectors;
import dev.ferry.protocol.release.ServingSpec;
import dev.ferry.protocol.release.SessionHints;
import dev.ferry.protocol.release.Tensor;
import dev.ferry.protocol.release.TensorSpec;
import dev.ferry.protocol.testing.OnnxModels;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/** Generated model versions, loaded through {@link VersionLoader}, for tests. */
public final class TestVersions {
  public static final ProviderSetup CPU_ONLY = ProviderSetup.cpuOnly();

  private TestVersions() {}

  /** A loaded {@code y = x·W + b} version with its weights. */
  public record Linear(LoadedVersion version, OnnxModels.Linear weights) {
    /** The outputs this version gives for one row. */
    public List<Object> expected(double... x) {
      return Arrays.stream(weights.apply(x)).mapToObj(v -> (Object) (float) v).toList();
    }

    /** The outputs for these input rows, one row after another, as an answer lists them. */
    public List<Float> expectedRows(double[]... rows) {
      return Arrays.stream(rows).flatMap(x -> expected(x).stream()).map(Float.class::cast).toList();
    }
  }

  /** serving.json of a linear model: x FP32 [-1, 4], y FP32 [-1, 3]. */
  public static ServingSpec linearSpec(String model, String version) {
    return spec(
        model,
        version,
        List.of(new TensorSpec("x", Datatype.FP32, List.of(-1L, 4L))),
        List.of(new TensorSpec("y", Datatype.FP32, List.of(-1L, 3L))));
  }

  public static ServingSpec spec(
      String model, String version, List<TensorSpec> inputs, List<TensorSpec> outputs) {
    return new ServingSpec(
        model,
        version,
        ServingSpec.ONNX_PLATFORM,
        17,
        inputs,
        outputs,
        List.of(),
        SessionHints.NONE);
  }

  /** Writes, loads and proves a linear version; weights differ by seed. */
  public static Linear linear(Path dir, String model, String version, long seed) {
    Path file = dir.resolve(model + "-" + version + "-" + seed + ".onnx");
    OnnxModels.Linear weights = OnnxModels.matMulAdd(file, "x", OnnxModels.DYNAMIC, 4, 3, seed);
    GoldenVectors golden = linearGolden(weights);
    return new Linear(
        VersionLoader.load(file, linearSpec(model, version), () -> golden, CPU_ONLY), weights);
  }

  /** One case: x = [[1, 2, 3, 4]] and the outputs these weights give. */
  public static GoldenVectors linearGolden(OnnxModels.Linear weights) {
    double[] y = weights.apply(new double[] {1, 2, 3, 4});
    Tensor input = tensor("x", Datatype.FP32, List.of(1L, 4L), List.of(1.0, 2.0, 3.0, 4.0));
    Tensor output =
        tensor("y", Datatype.FP32, List.of(1L, 3L), Arrays.stream(y).mapToObj(v -> v).toList());
    return new GoldenVectors(List.of(new GoldenCase(List.of(input), List.of(output))), Map.of());
  }

  /** Writes, loads and proves {@code y = Identity(x)} of one datatype and fixed shape. */
  public static LoadedVersion identity(
      Path dir, String model, Datatype datatype, int elemType, List<Long> shape, List<?> sample) {
    Path file = dir.resolve(model + ".onnx");
    OnnxModels.identity(file, elemType, new ArrayList<>(shape));
    ServingSpec spec =
        spec(
            model,
            "1.0.0",
            List.of(new TensorSpec("x", datatype, shape)),
            List.of(new TensorSpec("y", datatype, shape)));
    GoldenCase golden =
        new GoldenCase(
            List.of(tensor("x", datatype, shape, sample)),
            List.of(tensor("y", datatype, shape, sample)));
    return VersionLoader.load(
        file, spec, () -> new GoldenVectors(List.of(golden), Map.of()), CPU_ONLY);
  }

  /** Writes, loads and proves {@code c = a + b} over FP32 vectors of dynamic, unequal lengths. */
  public static LoadedVersion adder(Path dir, String model) {
    return adder(dir, model, "1.0.0");
  }

  /** The same, as a version of its own. */
  public static LoadedVersion adder(Path dir, String model, String version) {
    Path file = dir.resolve(model + "-" + version + ".onnx");
    OnnxModels.addDynamic(file);
    return addVersion(file, model, version);
  }

  /** Writes, loads and proves {@code c = a + b} over FP32 vectors of one dynamic length n. */
  public static LoadedVersion sharedAdder(Path dir, String model, String version) {
    Path file = dir.resolve(model + "-" + version + ".onnx");
    OnnxModels.addShared(file);
    return addVersion(file, model, version);
  }

  private static LoadedVersion addVersion(Path file, String model, String version) {
    List<Long> dynamic = List.of(-1L);
    ServingSpec spec =
        spec(
            model,
            version,
            List.of(
                new TensorSpec("a", Datatype.FP32, dynamic),
                new TensorSpec("b", Datatype.FP32, dynamic)),
            List.of(new TensorSpec("c", Datatype.FP32, dynamic)));
    GoldenCase golden =
        new GoldenCase(
            List.of(
                tensor("a", Datatype.FP32, List.of(2L), List.of(1.0, 2.0)),
                tensor("b", Datatype.FP32, List.of(2L), List.of(3.0, 4.0))),
            List.of(tensor("c", Datatype.FP32, List.of(2L), List.of(4.0, 6.0))));
    return VersionLoader.load(
        file, spec, () -> new GoldenVectors(List.of(golden), Map.of()), CPU_ONLY);
  }

  /**
   * Writes, loads and proves {@code y = Gather([1, 2, 3, 4], i)}: i INT64 [-1], y FP32 [-1]; an
   * index outside [-4, 3] is refused by ONNX Runtime.
   */
  public static LoadedVersion gather(Path dir, String model, String version) {
    Path file = dir.resolve(model + "-" + version + ".onnx");
    OnnxModels.gather(file);
    List<Long> dynamic = List.of(-1L);
    ServingSpec spec =
        spec(
            model,
            version,
            List.of(new TensorSpec("i", Datatype.INT64, dynamic)),
            List.of(new TensorSpec("y", Datatype.FP32, dynamic)));
    GoldenCase golden =
        new GoldenCase(
            List.of(tensor("i", Datatype.INT64, List.of(2L), List.of(0L, 3L))),
            List.of(tensor("y", Datatype.FP32, List.of(2L), List.of(1.0, 4.0))));
    return VersionLoader.load(
        file, spec, () -> new GoldenVectors(List.of(golden), Map.of()), CPU_ONLY);
  }

  public static Tensor tensor(String name, Datatype datatype, List<Long> shape, List<?> data) {
    return new Tensor(name, datatype, shape, new ArrayList<>(data));
  }
}
