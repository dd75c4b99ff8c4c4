package dev.ferry.onnx;

import dev.ferry.protocol.release.Datatype;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Fixed-width elements as little-endian bytes, row-major and packed: the layout of the binary
 * tensor data extension, the gRPC endpoint's raw contents and raw golden tensors. {@link
 * Datatype#elementBytes()} bytes each; BOOL one byte (any non-zero byte reads as 1); FP16 and BF16
 * as their bits. BYTES elements vary in size and are not here.
 */
public final class LittleEndianElements {
  private LittleEndianElements() {}

  /**
   * Decodes elements into the array {@link ArrayTensor} holds for the datatype.
   *
   * @param bytes at least {@code count} elements' bytes from its position, already checked; its
   *     position and order are left as they are
   * @param datatype a fixed-width datatype {@link ArrayTensor} supports
   * @param count the number of elements
   */
  public static Object decode(ByteBuffer bytes, Datatype datatype, int count) {
    ByteBuffer in = bytes.slice().order(ByteOrder.LITTLE_ENDIAN);
    return switch (datatype) {
      case FP32 -> floats(in, count);
      case FP64 -> doubles(in, count);
      case FP16, BF16 -> halves(in, count, datatype);
      case BOOL -> bools(in, count);
      case INT8, UINT8 -> bytes(in, count);
      case INT16 -> shorts(in, count);
      case INT32 -> ints(in, count);
      case INT64 -> longs(in, count);
      default -> throw new IllegalArgumentException(ArrayTensor.unsupported(datatype));
    };
  }

  /**
   * Writes a fixed-width tensor's elements at the buffer's position, in one bulk copy from its
   * array, or from its packed buffer without decoding it (no intermediate buffer); the position
   * does not move.
   *
   * @param tensor a tensor of a fixed-width datatype
   * @param out room for its size times {@link Datatype#elementBytes()} bytes from its position
   */
  public static void encode(ArrayTensor tensor, ByteBuffer out) {
    ByteBuffer at = out.slice().order(ByteOrder.LITTLE_ENDIAN);
    if (tensor.isPacked()) {
      // packed elements are already these bytes (only a little-endian machine packs them)
      at.put(tensor.packedBuffer().duplicate());
      return;
    }
    Object e = tensor.elements();
    switch (tensor.datatype()) {
      case FP32 -> at.asFloatBuffer().put((float[]) e);
      case FP64 -> at.asDoubleBuffer().put((double[]) e);
      case FP16, BF16 -> putHalves(at, (float[]) e, tensor.datatype());
      case BOOL, INT8, UINT8 -> at.put((byte[]) e);
      case INT16 -> at.asShortBuffer().put((short[]) e);
      case INT32 -> at.asIntBuffer().put((int[]) e);
      case INT64 -> at.asLongBuffer().put((long[]) e);
      default -> throw new IllegalArgumentException(ArrayTensor.unsupported(tensor.datatype()));
    }
  }

  /**
   * A fixed-width tensor's elements in this layout.
   *
   * @param tensor a tensor of a fixed-width datatype
   * @return its size times {@link Datatype#elementBytes()} bytes
   */
  public static byte[] encode(ArrayTensor tensor) {
    byte[] bytes = new byte[Math.multiplyExact(tensor.size(), tensor.datatype().elementBytes())];
    encode(tensor, ByteBuffer.wrap(bytes));
    return bytes;
  }

  private static float[] floats(ByteBuffer in, int count) {
    float[] out = new float[count];
    in.asFloatBuffer().get(out);
    return out;
  }

  private static double[] doubles(ByteBuffer in, int count) {
    double[] out = new double[count];
    in.asDoubleBuffer().get(out);
    return out;
  }

  private static float[] halves(ByteBuffer in, int count, Datatype datatype) {
    float[] out = new float[count];
    for (int i = 0; i < count; i++) {
      out[i] = Halves.toFloat(datatype, in.getShort(2 * i));
    }
    return out;
  }

  private static byte[] bools(ByteBuffer in, int count) {
    byte[] out = new byte[count];
    for (int i = 0; i < count; i++) {
      out[i] = (byte) (in.get(i) == 0 ? 0 : 1);
    }
    return out;
  }

  private static byte[] bytes(ByteBuffer in, int count) {
    byte[] out = new byte[count];
    in.get(out);
    return out;
  }

  private static short[] shorts(ByteBuffer in, int count) {
    short[] out = new short[count];
    in.asShortBuffer().get(out);
    return out;
  }

  private static int[] ints(ByteBuffer in, int count) {
    int[] out = new int[count];
    in.asIntBuffer().get(out);
    return out;
  }

  private static long[] longs(ByteBuffer in, int count) {
    long[] out = new long[count];
    in.asLongBuffer().get(out);
    return out;
  }

  private static void putHalves(ByteBuffer buffer, float[] floats, Datatype datatype) {
    for (int i = 0; i < floats.length; i++) {
      buffer.putShort(2 * i, Halves.toBits(datatype, floats[i]));
    }
  }
}
