package dev.ferry.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.ferry.protocol.release.Datatype;
import java.util.List;
import org.junit.jupiter.api.Test;

class ArrayTensorTest {
  @Test
  void constructor_refusesAnArrayOfTheWrongClass() {
    var error =
        assertThrows(
            IllegalArgumentException.class,
            () -> new ArrayTensor("x", Datatype.FP32, new long[] {1}, new double[] {1}));
    assertEquals(
        "tensor 'x' of FP32 cannot hold " + new double[0].getClass().getName(),
        error.getMessage().replaceAll("@.*", ""));
  }

  @Test
  void constructor_refusesAShapeThatDoesNotMatchTheElements() {
    var error =
        assertThrows(
            IllegalArgumentException.class,
            () -> new ArrayTensor("x", Datatype.INT32, new long[] {2, 2}, new int[3]));
    assertEquals("tensor 'x' has 3 elements, shape [2, 2] needs 4", error.getMessage());
  }

  @Test
  void arrayClass_refusesADatatypeOnnxRuntimeCannotHold() {
    var error =
        assertThrows(IllegalArgumentException.class, () -> ArrayTensor.arrayClass(Datatype.UINT16));
    assertEquals("datatype UINT16 is not supported", error.getMessage());
  }

  @Test
  void element_givesFloatsAsFloatAndIntegersAsLong() {
    ArrayTensor tensor = new ArrayTensor("x", Datatype.INT8, new long[] {2}, new byte[] {-1, 2});
    assertEquals(-1L, tensor.element(0));
    assertEquals(List.of(2L), tensor.shapeList());
    assertEquals("x INT8[2]", tensor.toString());
  }
}
