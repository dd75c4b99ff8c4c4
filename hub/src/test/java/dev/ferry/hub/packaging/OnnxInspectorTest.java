package dev.ferry.hub.packaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.ferry.protocol.release.Datatype;
import dev.ferry.protocol.release.TensorSpec;
import dev.ferry.protocol.testing.OnnxModels;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OnnxInspectorTest {
  @TempDir Path dir;

  @Test
  void inspect_readsMatMulAddSignatureAndOpset() {
    Path model = dir.resolve("model.onnx");
    OnnxModels.matMulAdd(model, "x", 1, 4, 3, 7);

    ModelSignature signature = OnnxInspector.inspect(model);

    assertEquals(List.of(new TensorSpec("x", Datatype.FP32, List.of(1L, 4L))), signature.inputs());
    assertEquals(List.of(new TensorSpec("y", Datatype.FP32, List.of(1L, 3L))), signature.outputs());
    assertEquals(17, signature.opset());
    assertEquals(Map.of(), signature.dimNames());
  }

  @Test
  void inspect_marksDynamicBatchAsMinusOneAndKeepsItsName() {
    Path model = dir.resolve("model.onnx");
    OnnxModels.matMulAdd(model, "features", OnnxModels.DYNAMIC, 4, 3, 7);

    ModelSignature signature = OnnxInspector.inspect(model);

    assertEquals(
        List.of(new TensorSpec("features", Datatype.FP32, List.of(-1L, 4L))), signature.inputs());
    assertEquals(
        List.of(new TensorSpec("y", Datatype.FP32, List.of(-1L, 3L))), signature.outputs());
    assertEquals(
        Map.of("features", List.of("batch", ""), "y", List.of("batch", "")), signature.dimNames());
    assertEquals("batch", signature.dimName("features", 0));
  }

  @Test
  void inspect_readsTheDefaultDomainOpsetBesideOtherDomains() {
    Path model = dir.resolve("model.onnx");
    OnnxModels.importsTwoDomains(model, 13);

    assertEquals(13, OnnxInspector.inspect(model).opset());
  }

  @Test
  void inspect_mapsEveryElementType() {
    Map<Integer, Datatype> types = new LinkedHashMap<>();
    types.put(OnnxModels.FLOAT, Datatype.FP32);
    types.put(OnnxModels.DOUBLE, Datatype.FP64);
    types.put(OnnxModels.FLOAT16, Datatype.FP16);
    types.put(OnnxModels.BFLOAT16, Datatype.BF16);
    types.put(OnnxModels.INT8, Datatype.INT8);
    types.put(OnnxModels.UINT8, Datatype.UINT8);
    types.put(OnnxModels.INT16, Datatype.INT16);
    types.put(OnnxModels.UINT16, Datatype.UINT16);
    types.put(OnnxModels.INT32, Datatype.INT32);
    types.put(OnnxModels.INT64, Datatype.INT64);
    types.put(OnnxModels.BOOL, Datatype.BOOL);
    int checked = 0;
    for (Map.Entry<Integer, Datatype> type : types.entrySet()) {
      Path model = dir.resolve("identity-" + type.getKey() + ".onnx");
      OnnxModels.identity(model, type.getKey(), List.of("n", 2L));

      ModelSignature signature = OnnxInspector.inspect(model);

      assertEquals(
          List.of(new TensorSpec("x", type.getValue(), List.of(-1L, 2L))), signature.inputs());
      assertEquals(type.getValue(), signature.outputs().get(0).datatype());
      checked++;
    }
    assertEquals(11, checked);
  }

  @Test
  void inspect_rejectsBytesThatAreNotOnnx_withOnnxRuntimesReason() throws IOException {
    Path model = dir.resolve("notes.onnx");
    Files.writeString(model, "these are release notes, not a model", StandardCharsets.UTF_8);

    InvalidModelException e =
        assertThrows(InvalidModelException.class, () -> OnnxInspector.inspect(model));

    assertEquals(
        "model does not load in ONNX Runtime: Error code - ORT_INVALID_PROTOBUF - message: Load"
            + " model from notes.onnx failed:Protobuf parsing failed.",
        e.getMessage());
  }

  @Test
  void inspect_rejectsASequenceInput() {
    Path model = dir.resolve("model.onnx");
    OnnxModels.sequenceInput(model);

    InvalidModelException e =
        assertThrows(InvalidModelException.class, () -> OnnxInspector.inspect(model));

    assertEquals(
        "input 's' is a sequence; the hub serves models whose inputs and outputs are all tensors",
        e.getMessage());
  }
}
