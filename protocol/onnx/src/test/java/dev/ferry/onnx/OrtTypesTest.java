package dev.ferry.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.TensorInfo.OnnxTensorType;
import dev.ferry.protocol.release.Datatype;
import java.lang.reflect.Array;
import java.util.EnumSet;
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
  void creatable_isWhatOrtTensorsCreates() throws OrtException {
    for (Datatype datatype : Datatype.values()) {
      if (OrtTypes.CREATABLE.contains(datatype)) {
        try (OnnxTensor tensor =
            OrtTensors.create(OrtEnvironment.getEnvironment(), oneElement(datatype))) {
          assertEquals(1, tensor.getInfo().getNumElements(), datatype.name());
        }
      } else {
        assertThrows(IllegalArgumentException.class, () -> ArrayTensor.arrayClass(datatype));
      }
    }
  }

  @Test
  void creatableNumeric_isCreatableLessBytes() {
    EnumSet<Datatype> expected = EnumSet.copyOf(OrtTypes.CREATABLE);
    expected.remove(Datatype.BYTES);
    assertEquals(expected, OrtTypes.CREATABLE_NUMERIC);
    assertFalse(OrtTypes.CREATABLE_NUMERIC.contains(Datatype.UINT16));
    assertEquals(
        "[BOOL, UINT8, INT8, INT16, INT32, INT64, FP16, FP32, FP64, BF16]",
        OrtTypes.CREATABLE_NUMERIC.toString());
  }

  private static ArrayTensor oneElement(Datatype datatype) {
    Object elements = Array.newInstance(ArrayTensor.arrayClass(datatype).getComponentType(), 1);
    if (elements instanceof String[] strings) {
      strings[0] = "";
    }
    return new ArrayTensor("x", datatype, new long[] {1}, elements);
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
