package dev.ferry.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.ferry.protocol.release.Datatype;
import dev.ferry.protocol.release.Tensor;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import org.junit.jupiter.api.Test;

class LittleEndianElementsTest {
  @Test
  void encode_writesLittleEndianPackedElements() {
    ArrayTensor tensor = new ArrayTensor("x", Datatype.INT32, new long[] {2}, new int[] {1, -2});
    assertArrayEquals(new byte[] {1, 0, 0, 0, -2, -1, -1, -1}, LittleEndianElements.encode(tensor));
    ArrayTensor half = new ArrayTensor("h", Datatype.FP16, new long[] {1}, new float[] {1.0f});
    assertArrayEquals(new byte[] {0, 0x3c}, LittleEndianElements.encode(half));
  }

  @Test
  void encode_copiesPackedElementsAsTheirArrayTwinWouldBe() {
    byte[] floats = {0, 0, -64, 63, 0, 0, 0, -64};
    ArrayTensor packed =
        ArrayTensor.packed(
            "x", Datatype.FP32, new long[] {2}, PackedElements.pack(ByteBuffer.wrap(floats)));
    ArrayTensor twin = new ArrayTensor("x", Datatype.FP32, new long[] {2}, new float[] {1.5f, -2f});
    assertArrayEquals(LittleEndianElements.encode(twin), LittleEndianElements.encode(packed));
    assertArrayEquals(floats, LittleEndianElements.encode(packed));
    ArrayTensor half =
        ArrayTensor.packed(
            "h",
            Datatype.FP16,
            new long[] {1},
            PackedElements.pack(ByteBuffer.wrap(new byte[] {0, 0x3c})));
    assertArrayEquals(new byte[] {0, 0x3c}, LittleEndianElements.encode(half));
  }

  @Test
  void decode_readsEachFixedWidthDatatypeBack() {
    List<ArrayTensor> tensors =
        List.of(
            new ArrayTensor("a", Datatype.FP32, new long[] {2}, new float[] {0.5f, -1.25f}),
            new ArrayTensor("b", Datatype.FP64, new long[] {1}, new double[] {Math.PI}),
            new ArrayTensor("c", Datatype.BF16, new long[] {1}, new float[] {2.0f}),
            new ArrayTensor("d", Datatype.UINT8, new long[] {2}, new byte[] {(byte) 255, 0}),
            new ArrayTensor("e", Datatype.INT16, new long[] {1}, new short[] {-300}),
            new ArrayTensor("f", Datatype.INT64, new long[] {1}, new long[] {Long.MIN_VALUE}),
            new ArrayTensor("g", Datatype.BOOL, new long[] {2}, new byte[] {1, 0}));
    for (ArrayTensor tensor : tensors) {
      ByteBuffer bytes = ByteBuffer.wrap(LittleEndianElements.encode(tensor));
      Object back = LittleEndianElements.decode(bytes, tensor.datatype(), tensor.size());
      for (int i = 0; i < tensor.size(); i++) {
        assertEquals(
            tensor.element(i),
            new ArrayTensor("z", tensor.datatype(), tensor.shape(), back).element(i),
            tensor.toString());
      }
    }
  }

  @Test
  void decode_readsAnyNonZeroBoolByteAsOne() {
    Object bools =
        LittleEndianElements.decode(ByteBuffer.wrap(new byte[] {0, 7, -1}), Datatype.BOOL, 3);
    assertArrayEquals(new byte[] {0, 1, 1}, (byte[]) bools);
  }

  @Test
  void decode_refusesBytes() {
    var error =
        assertThrows(
            IllegalArgumentException.class,
            () -> LittleEndianElements.decode(ByteBuffer.allocate(4), Datatype.BYTES, 1));
    assertEquals("datatype BYTES is not supported", error.getMessage());
  }

  @Test
  void rawTensor_roundTripsThroughTheProtocolTensor() {
    ArrayTensor tensor =
        new ArrayTensor("y", Datatype.FP32, new long[] {1, 2}, new float[] {0.5f, -1.25f});
    Tensor raw = tensor.toRawTensor();
    assertNull(raw.data());
    assertArrayEquals(
        ByteBuffer.allocate(8)
            .order(ByteOrder.LITTLE_ENDIAN)
            .putFloat(0.5f)
            .putFloat(-1.25f)
            .array(),
        raw.raw());
    ArrayTensor back = ArrayTensor.of(raw);
    assertArrayEquals(new float[] {0.5f, -1.25f}, (float[]) back.elements());
    assertEquals(List.of(1L, 2L), back.shapeList());
    assertEquals(tensor.toTensor(), back.toTensor());
  }

  @Test
  void rawTensor_ofBytesStaysInJsonForm() {
    ArrayTensor text = new ArrayTensor("s", Datatype.BYTES, new long[] {1}, new String[] {"a"});
    assertEquals(List.of("a"), text.toRawTensor().data());
  }
}
