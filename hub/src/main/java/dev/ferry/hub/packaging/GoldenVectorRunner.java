package dev.ferry.hub.packaging;

import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession.SessionOptions.OptLevel;
import dev.ferry.onnx.OrtTypes;
import dev.ferry.protocol.json.Fields;
import dev.ferry.protocol.release.GoldenCase;
import dev.ferry.protocol.release.GoldenVectors;
import dev.ferry.protocol.release.Tensor;
import dev.ferry.protocol.release.TensorSpec;
import dev.ferry.protocol.release.Tolerance;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Computes a release's golden vectors on the CPU: checks submitted ones or makes a smoke case. */
public final class GoldenVectorRunner {
  private GoldenVectorRunner() {}

  /**
   * Completes the golden vectors of a release.
   *
   * <p>With {@code submitted} vectors, checks each case's inputs against the signature, runs it,
   * and compares the expected outputs within tolerance or fills in the computed ones. Without,
   * generates one smoke case from {@code seed} once every input dimension is fixed or given by
   * {@code shapeHints}, and records its outputs.
   *
   * @param model the model file
   * @param signature its signature, from {@link OnnxInspector#inspect(Path)}
   * @param submitted the release manager's vectors, or null for none
   * @param shapeHints concrete shapes for inputs with dynamic dimensions (see {@link
   *     ShapeHints#parse(String)}); used only without {@code submitted}
   * @param seed the smoke case's random seed; the same seed gives the same case
   * @return vectors whose every case holds all inputs and outputs; outputs carry the computed
   *     shapes; tolerances as submitted ({@link Tolerance#DEFAULT} for outputs that name none)
   * @throws InvalidGoldenException if the vectors do not fit the model, it does not reproduce them,
   *     or a smoke case needs shapes that are not known
   * @throws InvalidShapeHintException if a hint names no input or does not fit it
   * @throws InvalidModelException if the model does not load
   */
  public static GoldenVectors run(
      Path model,
      ModelSignature signature,
      GoldenVectors submitted,
      Map<String, List<Long>> shapeHints,
      long seed) {
    checkSupported(signature.inputs(), "input");
    checkSupported(signature.outputs(), "output");
    Map<String, Tolerance> tolerances = submitted == null ? Map.of() : submitted.tolerances();
    checkTolerances(tolerances, signature);
    List<List<Tensor>> inputs = new ArrayList<>();
    if (submitted == null) {
      inputs.add(SmokeCase.inputs(signature, shapeHints == null ? Map.of() : shapeHints, seed));
    } else {
      for (int i = 0; i < submitted.cases().size(); i++) {
        inputs.add(GoldenInputs.check(i, submitted.cases().get(i), signature));
      }
    }
    List<GoldenCase> cases = new ArrayList<>();
    try (CpuSession session = CpuSession.open(model, OptLevel.ALL_OPT)) {
      for (int i = 0; i < inputs.size(); i++) {
        Map<String, Tensor> actual = run(session, inputs.get(i), submitted == null, i, model);
        List<Tensor> outputs =
            submitted == null
                ? signature.outputs().stream().map(o -> actual.get(o.name())).toList()
                : ExpectedOutputs.complete(
                    i, submitted.cases().get(i), actual, signature, tolerances);
        cases.add(new GoldenCase(inputs.get(i), outputs));
      }
    }
    return new GoldenVectors(cases, tolerances);
  }

  private static Map<String, Tensor> run(
      CpuSession session, List<Tensor> inputs, boolean smoke, int index, Path model) {
    String where = smoke ? "smoke case" : "case " + index;
    try {
      return session.run(inputs, where);
    } catch (OrtException e) {
      String shapes = smoke ? " with " + shapes(inputs) : "";
      throw new InvalidGoldenException(
          where + shapes + " does not run in ONNX Runtime: " + CpuSession.reason(e, model), e);
    }
  }

  private static String shapes(List<Tensor> inputs) {
    return String.join(
        ";", inputs.stream().map(t -> t.name() + "=" + t.shape().toString()).toList());
  }

  private static void checkSupported(List<TensorSpec> specs, String side) {
    for (TensorSpec spec : specs) {
      if (!OrtTypes.CREATABLE_NUMERIC.contains(spec.datatype())) {
        throw new InvalidGoldenException(
            side
                + " "
                + Fields.show(spec.name())
                + " is "
                + spec.datatype()
                + "; the hub computes golden vectors for "
                + OrtTypes.CREATABLE_NUMERIC
                + " only");
      }
    }
  }

  private static void checkTolerances(Map<String, Tolerance> tolerances, ModelSignature signature) {
    for (String output : tolerances.keySet()) {
      if (GoldenInputs.find(signature.outputs(), output) == null) {
        throw new InvalidGoldenException(
            "tolerances name output "
                + Fields.show(output)
                + ", which is not an output of the model; outputs: "
                + GoldenInputs.names(signature.outputs()));
      }
    }
  }
}
