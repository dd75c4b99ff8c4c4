package dev.ferry.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import dev.ferry.protocol.release.Datatype;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

/** Packed tensors: ONNX Runtime takes their buffer as it is; their arrays decode on demand. */
class PackedTensorTest {
  private static final OrtEnvironment ENV = OrtEnvironment.getEnvironment();

  private static ByteBuffer littleEndian(float... values) {
    ByteBuffer bytes = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
    bytes.asFloatBuffer().put(values);
    return bytes;
  }

  @Test
  void onnxRuntime_takesThePackedBufferItself() throws OrtException {
    ByteBuffer packed = PackedElements.pack(littleEndian(1, 2, 3, 4));
    ArrayTensor tensor = ArrayTensor.packed("x", Datatype.FP32, new long[] {2, 2}, packed);
    try (OnnxTensor onnx = OrtTensors.create(ENV, tensor)) {
      // the tensor's memory is the buffer's: a change to one shows in the other
      packed.putFloat(0, 9);
      assertEquals(9f, ((ByteBuffer) onnx.getBufferRef().orElseThrow()).getFloat(0));
      packed.putFloat(0, 1);
      assertArrayEquals(new float[] {1, 2, 3, 4}, (float[]) OrtTensors.read("x", onnx).elements());
    }
  }

  @Test
  void of_takesAlignedDirectBytesAsTheyAre_andCopiesAnyOthers() {
    ByteBuffer direct = PackedElements.pack(littleEndian(1, 2, 3));
    ByteBuffer taken = PackedElements.of(direct, Datatype.FP32);
    direct.putFloat(0, 9);
    assertEquals(9f, taken.getFloat(0), "the direct bytes themselves");
    ByteBuffer misaligned = direct.duplicate().position(1).limit(9);
    ByteBuffer copied = PackedElements.of(misaligned, Datatype.FP32);
    byte before = copied.get(0);
    direct.put(1, (byte) (before + 1));
    assertEquals(before, copied.get(0), "a copy of bytes not aligned to their elements");
    assertTrue(copied.isDirect());
    ByteBuffer fromHeap = PackedElements.of(littleEndian(4), Datatype.FP32);
    assertTrue(fromHeap.isDirect());
    assertEquals(4f, fromHeap.getFloat(0));
  }

  @Test
  void detached_keepsItsElements_whenTheBytesItWasPackedOverChange() {
    ByteBuffer body = PackedElements.pack(littleEndian(1.5f, -2));
    ArrayTensor borrowed =
        ArrayTensor.packed(
            "x", Datatype.FP32, new long[] {2}, PackedElements.of(body, Datatype.FP32));
    ArrayTensor kept = borrowed.detached();
    body.putFloat(0, 7);
    assertEquals(7f, borrowed.element(0));
    assertEquals(1.5f, kept.element(0));
    assertEquals(-2f, kept.element(1));
  }

  @Test
  void elements_decodeFromThePackedBytes() {
    ArrayTensor tensor =
        ArrayTensor.packed(
            "x", Datatype.FP32, new long[] {3}, PackedElements.pack(littleEndian(1.5f, -2, 0)));
    assertTrue(tensor.isPacked());
    assertEquals(3, tensor.size());
    assertArrayEquals(new float[] {1.5f, -2, 0}, (float[]) tensor.elements());
    assertEquals(-2f, tensor.element(1));
  }

  @Test
  void fp16_travelsAsItsBits() throws OrtException {
    ByteBuffer bits = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN);
    bits.putShort(Halves.toBits(Datatype.FP16, 1.5f)).putShort(Halves.toBits(Datatype.FP16, -2));
    ArrayTensor tensor =
        ArrayTensor.packed("h", Datatype.FP16, new long[] {2}, PackedElements.pack(bits.flip()));
    assertArrayEquals(new float[] {1.5f, -2}, (float[]) tensor.elements());
    try (OnnxTensor onnx = OrtTensors.create(ENV, tensor)) {
      assertArrayEquals(new float[] {1.5f, -2}, (float[]) OrtTensors.read("h", onnx).elements());
    }
  }

  @Test
  void boolAndBytes_areNotPacked() {
    assertFalse(PackedElements.holds(Datatype.BOOL));
    assertFalse(PackedElements.holds(Datatype.BYTES));
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                ArrayTensor.packed(
                    "b",
                    Datatype.BOOL,
                    new long[] {1},
                    PackedElements.pack(ByteBuffer.wrap(new byte[] {1}))));
    assertEquals("tensor 'b' of BOOL cannot be packed", e.getMessage());
  }

  @Test
  void aHeapBuffer_isRefused() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                ArrayTensor.packed(
                    "x",
                    Datatype.FP32,
                    new long[] {1},
                    ByteBuffer.allocate(4).order(ByteOrder.nativeOrder())));
    assertEquals(
        "tensor 'x' needs a direct buffer in native order from position 0", e.getMessage());
  }

  @Test
  void aSizeTheShapeDoesNotTake_isRefused() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                ArrayTensor.packed(
                    "x", Datatype.FP32, new long[] {2}, PackedElements.pack(littleEndian(1))));
    assertEquals("tensor 'x' has 4 bytes, 2 elements of FP32 take 8", e.getMessage());
  }
}
