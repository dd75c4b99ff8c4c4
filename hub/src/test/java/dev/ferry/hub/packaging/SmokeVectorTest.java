package dev.ferry.hub.packaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.protocol.json.JsonCodec;
import dev.ferry.protocol.release.Datatype;
import dev.ferry.protocol.release.GoldenCase;
import dev.ferry.protocol.release.GoldenVectors;
import dev.ferry.protocol.release.Tensor;
import dev.ferry.protocol.testing.OnnxModels;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SmokeVectorTest {
  @TempDir Path dir;

  @Test
  void smoke_isTheSameForTheSameSeed() {
    Path model = dir.resolve("model.onnx");
    OnnxModels.matMulAdd(model, "x", 2, 4, 3, 7);
    ModelSignature signature = OnnxInspector.inspect(model);

    GoldenVectors first = GoldenVectorRunner.run(model, signature, null, Map.of(), 42);
    GoldenVectors again = GoldenVectorRunner.run(model, signature, null, Map.of(), 42);
    GoldenVectors other = GoldenVectorRunner.run(model, signature, null, Map.of(), 43);

    assertEquals(first, again);
    assertNotEquals(first.cases().get(0).inputs(), other.cases().get(0).inputs());
    assertEquals(1, first.cases().size());
    assertEquals(Map.of(), first.tolerances());
  }

  @Test
  void smoke_recordsTheComputedOutputs() {
    Path model = dir.resolve("model.onnx");
    OnnxModels.Linear linear = OnnxModels.matMulAdd(model, "x", 2, 4, 3, 7);

    GoldenCase smoke =
        GoldenVectorRunner.run(model, OnnxInspector.inspect(model), null, null, 42).cases().get(0);

    Tensor x = smoke.inputs().get(0);
    Tensor y = smoke.outputs().get(0);
    assertEquals(List.of(2L, 4L), x.shape());
    assertEquals(List.of(2L, 3L), y.shape());
    for (Object value : x.data()) {
      double element = (Double) value;
      assertTrue(element >= -1 && element < 1 && element == (float) element, "x element " + value);
    }
    for (int row = 0; row < 2; row++) {
      double[] in = new double[4];
      for (int i = 0; i < 4; i++) {
        in[i] = (Double) x.data().get(row * 4 + i);
      }
      double[] out = linear.apply(in);
      for (int j = 0; j < 3; j++) {
        assertEquals(out[j], (Double) y.data().get(row * 3 + j), 1e-6, "y[" + row + "," + j + "]");
      }
    }
  }

  @Test
  void smoke_asksForAHintWhenADimensionIsDynamic() {
    Path model = dir.resolve("model.onnx");
    OnnxModels.matMulAdd(model, "x", OnnxModels.DYNAMIC, 4, 3, 7);
    ModelSignature signature = OnnxInspector.inspect(model);

    InvalidGoldenException e =
        assertThrows(
            InvalidGoldenException.class,
            () -> GoldenVectorRunner.run(model, signature, null, Map.of(), 42));

    assertEquals(
        "input 'x' has dynamic dimension 0 ('batch') in shape [-1, 4]; send golden inputs or a"
            + " shapes hint such as x=1,4",
        e.getMessage());
  }

  @Test
  void smoke_usesTheShapesHintForDynamicDimensions() {
    Path model = dir.resolve("model.onnx");
    OnnxModels.matMulAdd(model, "x", OnnxModels.DYNAMIC, 4, 3, 7);
    ModelSignature signature = OnnxInspector.inspect(model);

    GoldenCase smoke =
        GoldenVectorRunner.run(model, signature, null, ShapeHints.parse("x=5,4"), 42)
            .cases()
            .get(0);

    assertEquals(List.of(5L, 4L), smoke.inputs().get(0).shape());
    assertEquals(List.of(5L, 3L), smoke.outputs().get(0).shape());
  }

  @Test
  void smoke_rejectsAHintForAnUnknownInput() {
    Path model = dir.resolve("model.onnx");
    OnnxModels.matMulAdd(model, "x", OnnxModels.DYNAMIC, 4, 3, 7);
    ModelSignature signature = OnnxInspector.inspect(model);

    InvalidShapeHintException e =
        assertThrows(
            InvalidShapeHintException.class,
            () -> GoldenVectorRunner.run(model, signature, null, ShapeHints.parse("z=1,4"), 42));

    assertEquals(
        "shapes hint names 'z', which is not an input of the model; inputs: [x]", e.getMessage());
  }

  @Test
  void smoke_rejectsAHintThatDoesNotFitTheInput() {
    Path model = dir.resolve("model.onnx");
    OnnxModels.matMulAdd(model, "x", OnnxModels.DYNAMIC, 4, 3, 7);
    ModelSignature signature = OnnxInspector.inspect(model);

    InvalidShapeHintException e =
        assertThrows(
            InvalidShapeHintException.class,
            () -> GoldenVectorRunner.run(model, signature, null, ShapeHints.parse("x=1,5"), 42));

    assertEquals(
        "shapes hint gives x [1, 5], which does not fit input 'x' of shape [-1, 4]",
        e.getMessage());
  }

  @Test
  void smoke_passesEveryElementTypeThroughIdentityAndSurvivesJson() {
    Map<Integer, Datatype> types = new LinkedHashMap<>();
    types.put(OnnxModels.FLOAT, Datatype.FP32);
    types.put(OnnxModels.DOUBLE, Datatype.FP64);
    types.put(OnnxModels.FLOAT16, Datatype.FP16);
    types.put(OnnxModels.BFLOAT16, Datatype.BF16);
    types.put(OnnxModels.INT8, Datatype.INT8);
    types.put(OnnxModels.UINT8, Datatype.UINT8);
    types.put(OnnxModels.INT16, Datatype.INT16);
    types.put(OnnxModels.INT32, Datatype.INT32);
    types.put(OnnxModels.INT64, Datatype.INT64);
    types.put(OnnxModels.BOOL, Datatype.BOOL);
    JsonCodec codec = new JsonCodec();
    int checked = 0;
    for (Map.Entry<Integer, Datatype> type : types.entrySet()) {
      Path model = dir.resolve("identity-" + type.getKey() + ".onnx");
      OnnxModels.identity(model, type.getKey(), List.of(2L, 3L));

      GoldenVectors smoke =
          GoldenVectorRunner.run(model, OnnxInspector.inspect(model), null, null, 42);

      Tensor x = smoke.cases().get(0).inputs().get(0);
      Tensor y = smoke.cases().get(0).outputs().get(0);
      assertEquals(type.getValue(), y.datatype());
      assertEquals(x.data(), y.data(), type.getValue().toString());
      assertEquals(smoke, codec.decode(codec.encode(smoke), GoldenVectors.class));
      checked++;
    }
    assertEquals(10, checked);
  }

  @Test
  void smoke_rejectsAnElementTypeItCannotFeed() {
    Path model = dir.resolve("model.onnx");
    OnnxModels.identity(model, OnnxModels.UINT16, List.of(2L));
    ModelSignature signature = OnnxInspector.inspect(model);

    InvalidGoldenException e =
        assertThrows(
            InvalidGoldenException.class,
            () -> GoldenVectorRunner.run(model, signature, null, null, 42));

    assertEquals(
        "input 'x' is UINT16; the hub computes golden vectors for [BOOL, UINT8, INT8, INT16, INT32,"
            + " INT64, FP16, FP32, FP64, BF16] only",
        e.getMessage());
  }
}
