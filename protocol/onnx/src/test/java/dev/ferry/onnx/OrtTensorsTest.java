package dev.ferry.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.ferry.protocol.release.Datatype;
import dev.ferry.protocol.release.Tensor;
import dev.ferry.protocol.testing.OnnxModels;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OrtTensorsTest {
  private static final OrtEnvironment ENV = OrtEnvironment.getEnvironment();
  private static final int STRING = 8;

  @TempDir Path dir;

  /** Feeds the tensor through an Identity model of its element type and reads the output. */
  private Tensor throughIdentity(int elemType, Tensor input) throws OrtException {
    Path model = dir.resolve("identity-" + elemType + ".onnx");
    OnnxModels.identity(model, elemType, List.of(2L, 2L));
    try (OrtSession session = ENV.createSession(model.toString());
        OnnxTensor x = OrtTensors.create(ENV, ArrayTensor.of(input));
        OrtSession.Result result = session.run(Map.of("x", x))) {
      ArrayTensor y = OrtTensors.read("y", (OnnxTensor) result.get(0));
      return y.toTensor();
    }
  }

  private static Tensor tensor(Datatype datatype, List<Object> data) {
    return new Tensor("x", datatype, List.of(2L, 2L), data);
  }

  @Test
  void everyDatatypeTheGlueCarries_survivesARoundTripThroughOnnxRuntime() throws OrtException {
    Map<Integer, Tensor> cases =
        Map.ofEntries(
            Map.entry(OnnxModels.FLOAT, tensor(Datatype.FP32, List.of(0.5, -1.25, 3.0, 1048576.0))),
            Map.entry(OnnxModels.FLOAT16, tensor(Datatype.FP16, List.of(0.5, -2.0, 65504.0, 0.0))),
            Map.entry(OnnxModels.BFLOAT16, tensor(Datatype.BF16, List.of(0.5, -2.0, 1.0, 256.0))),
            Map.entry(OnnxModels.DOUBLE, tensor(Datatype.FP64, List.of(0.1, -1e300, 2.5, 0.0))),
            Map.entry(OnnxModels.BOOL, tensor(Datatype.BOOL, List.of(true, false, false, true))),
            Map.entry(OnnxModels.UINT8, tensor(Datatype.UINT8, List.of(0, 255, 128, 7))),
            Map.entry(OnnxModels.INT8, tensor(Datatype.INT8, List.of(-128, 127, 0, -1))),
            Map.entry(OnnxModels.INT16, tensor(Datatype.INT16, List.of(-32768, 32767, 0, 5))),
            Map.entry(OnnxModels.INT32, tensor(Datatype.INT32, List.of(-7, 1 << 30, 0, 5))),
            Map.entry(
                OnnxModels.INT64, tensor(Datatype.INT64, List.of(Long.MIN_VALUE, 1L << 40, 0, 5))),
            Map.entry(STRING, tensor(Datatype.BYTES, List.of("a", "", "ü", "d"))));
    for (Map.Entry<Integer, Tensor> c : cases.entrySet()) {
      Tensor input = c.getValue();
      Tensor output = throughIdentity(c.getKey(), input);
      assertEquals(
          new Tensor("y", input.datatype(), input.shape(), input.data()),
          output,
          input.datatype().toString());
    }
    assertEquals(11, cases.size());
  }

  @Test
  void fp32_isReadAsTheDoubleTheFloatExactlyIs() throws OrtException {
    Tensor output = throughIdentity(OnnxModels.FLOAT, tensor(Datatype.FP32, List.of(0.1, 0, 0, 0)));
    assertEquals(List.of((double) 0.1f, 0.0, 0.0, 0.0), output.data());
  }

  @Test
  void fp16_roundsToTheNearestHalf() throws OrtException {
    Tensor output =
        throughIdentity(OnnxModels.FLOAT16, tensor(Datatype.FP16, List.of(0.1, 1, 2049, 0)));
    assertEquals(List.of(0.0999755859375, 1.0, 2048.0, 0.0), output.data());
  }

  @Test
  void datatype_ofAModelsUint16Input_isUint16() throws OrtException {
    Path model = dir.resolve("uint16.onnx");
    OnnxModels.identity(model, OnnxModels.UINT16, List.of(1L));
    try (OrtSession session = ENV.createSession(model.toString())) {
      var info = (ai.onnxruntime.TensorInfo) session.getInputInfo().get("x").getInfo();
      assertEquals(Datatype.UINT16, OrtTypes.datatype(info.onnxType).orElseThrow());
    }
  }
}
