package dev.ferry.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.onnxruntime.TensorInfo.OnnxTensorType;
import dev.ferry.protocol.release.Datatype;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class OrtTypesTest {
  @Test
  void datatype_mapsEveryTypeTheProtocolCarries() {
    int mapped = 0;
    for (OnnxTensorType type : OnnxTensorType.values()) {
      mapped += OrtTypes.datatype(type).isPresent() ? 1 : 0;
    }
    assertEquals(Datatype.values().length, mapped);
    assertEquals(
        Optional.of(Datatype.BF16),
        OrtTypes.datatype(OnnxTensorType.ONNX_TENSOR_ELEMENT_DATA_TYPE_BFLOAT16));
  }

  @Test
  void require_namesTheTensorAndTheType() {
    var error =
        assertThrows(
            UnsupportedElementTypeException.class,
            () ->
                OrtTypes.require(
                    OnnxTensorType.ONNX_TENSOR_ELEMENT_DATA_TYPE_COMPLEX64, "output 'y'"));
    assertEquals(
        "output 'y' has element type ONNX_TENSOR_ELEMENT_DATA_TYPE_COMPLEX64, which the Open"
            + " Inference Protocol cannot carry",
        error.getMessage());
  }
}
