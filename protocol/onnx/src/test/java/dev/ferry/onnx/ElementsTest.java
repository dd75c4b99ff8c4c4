package dev.ferry.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.ferry.protocol.release.Datatype;
import dev.ferry.protocol.release.Tensor;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.List;
import org.junit.jupiter.api.Test;

class ElementsTest {
  private static Tensor tensor(Datatype datatype, List<Object> data) {
    return new Tensor("x", datatype, List.of((long) data.size()), data);
  }

  private static String refused(Datatype datatype, List<Object> data) {
    return assertThrows(
            ElementOutOfRangeException.class,
            () -> ArrayTensor.of(tensor(datatype, data), "case 0 input 'x'"))
        .getMessage();
  }

  @Test
  void whole_acceptsWholeNumbersOfAnyJsonForm() {
    ArrayTensor tensor =
        ArrayTensor.of(
            tensor(
                Datatype.INT64,
                List.of(1, 2L, new BigDecimal("3.0"), BigInteger.valueOf(4), 5.0, (short) 6)));
    assertArrayEquals(new long[] {1, 2, 3, 4, 5, 6}, (long[]) tensor.elements());
  }

  @Test
  void whole_refusesAValueOutOfTheDatatypesRange() {
    assertEquals(
        "case 0 input 'x' data[2] must be a whole number in [-128, 127] for INT8, got 300",
        refused(Datatype.INT8, List.of(1, 2, 300)));
    assertEquals(
        "case 0 input 'x' data[0] must be a whole number in [0, 255] for UINT8, got -1",
        refused(Datatype.UINT8, List.of(-1)));
  }

  @Test
  void whole_refusesAFractionAndANumberPastALong() {
    assertEquals(
        "case 0 input 'x' data[1] must be a whole number in [-32768, 32767] for INT16, got 2.5",
        refused(Datatype.INT16, List.of(1, 2.5)));
    assertEquals(
        "case 0 input 'x' data[0] must be a whole number in [-9223372036854775808,"
            + " 9223372036854775807] for INT64, got 9223372036854775808",
        refused(Datatype.INT64, List.of(new BigInteger("9223372036854775808"))));
  }

  @Test
  void single_refusesAValuePastFp16sLargestHalf() {
    assertEquals(
        "case 0 input 'x' data[0] must be a finite number within ±65504.0 for FP16, got 70000",
        refused(Datatype.FP16, List.of(70000)));
    assertEquals(
        "case 0 input 'x' data[1] must be a finite number within ±3.4028234663852886E38 for FP32,"
            + " got 1.0E39",
        refused(Datatype.FP32, List.of(0, 1e39)));
  }

  @Test
  void of_withoutAPlace_namesTheTensor() {
    var error =
        assertThrows(
            ElementOutOfRangeException.class,
            () -> ArrayTensor.of(tensor(Datatype.INT8, List.of(128))));
    assertEquals(
        "tensor 'x' data[0] must be a whole number in [-128, 127] for INT8, got 128",
        error.getMessage());
  }

  @Test
  void integral_isAnIntegerWhenItFitsAndALongElse() {
    assertEquals(Integer.valueOf(-5), Elements.integral(-5));
    assertEquals(Long.valueOf(1L << 33), Elements.integral(1L << 33));
  }

  @Test
  void toTensor_givesIntegersAsJsonDecodingDoesAndUint8Unsigned() {
    ArrayTensor tensor =
        new ArrayTensor("y", Datatype.UINT8, new long[] {2}, new byte[] {(byte) 255, 1});
    assertEquals(List.of(255, 1), tensor.toTensor().data());
  }

  @Test
  void maxMagnitude_isThatOfEachFloatDatatype() {
    assertEquals(65504, Elements.maxMagnitude(Datatype.FP16));
    assertEquals(Float.MAX_VALUE, Elements.maxMagnitude(Datatype.BF16));
    assertEquals(Float.MAX_VALUE, Elements.maxMagnitude(Datatype.FP32));
    assertEquals(Double.MAX_VALUE, Elements.maxMagnitude(Datatype.FP64));
  }

  @Test
  void exactLong_isNullForAFractionOrAnOverflow() {
    assertEquals(3L, Elements.exactLong(new BigDecimal("3.00")));
    assertEquals(null, Elements.exactLong(new BigDecimal("3.5")));
    assertEquals(null, Elements.exactLong(new BigDecimal("1e19")));
  }
}
