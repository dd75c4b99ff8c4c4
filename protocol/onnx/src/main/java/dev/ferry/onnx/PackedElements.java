package dev.ferry.onnx;

import dev.ferry.protocol.release.Datatype;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Elements packed as ONNX Runtime holds them ({@link ArrayTensor#packed}): a direct buffer in
 * native byte order, FP16 and BF16 as their bits.
 */
public final class PackedElements {
  private PackedElements() {}

  /** Bytes per element of a datatype that can be packed; 0 for one that cannot. */
  public static int elementBytes(Datatype datatype) {
    return switch (datatype) {
      case INT8, UINT8 -> 1;
      case INT16, FP16, BF16 -> 2;
      case INT32, FP32 -> 4;
      case INT64, FP64 -> 8;
      default -> 0;
    };
  }

  /**
   * Whether elements of a datatype in this little-endian encoding can be packed as they are: a
   * fixed-width datatype but BOOL (whose bytes need making 0 or 1), on a little-endian machine.
   */
  public static boolean holds(Datatype datatype) {
    return elementBytes(datatype) > 0 && ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN;
  }

  /**
   * Little-endian elements of a datatype that {@link #holds}, from the source's position to its
   * limit, as ONNX Runtime takes them: the source's own memory when it is direct and each element
   * is aligned to its size (no copy: the caller keeps that memory unchanged while the tensor is
   * used), else a copy ({@link #pack}).
   */
  public static ByteBuffer of(ByteBuffer littleEndian, Datatype datatype) {
    if (littleEndian.isDirect()
        && littleEndian.alignmentOffset(littleEndian.position(), elementBytes(datatype)) == 0) {
      return littleEndian.slice().order(ByteOrder.nativeOrder());
    }
    return pack(littleEndian);
  }

  /**
   * Copies little-endian elements, from the source's position to its limit, into a new direct
   * buffer in native order.
   */
  public static ByteBuffer pack(ByteBuffer littleEndian) {
    ByteBuffer direct = ByteBuffer.allocateDirect(littleEndian.remaining());
    direct.put(littleEndian.duplicate()).flip();
    return direct.order(ByteOrder.nativeOrder());
  }

  static void check(String name, Datatype datatype, long count, ByteBuffer packed) {
    if (!holds(datatype)) {
      throw new IllegalArgumentException(
          "tensor '" + name + "' of " + datatype + " cannot be packed");
    }
    if (!packed.isDirect() || packed.order() != ByteOrder.nativeOrder() || packed.position() != 0) {
      throw new IllegalArgumentException(
          "tensor '" + name + "' needs a direct buffer in native order from position 0");
    }
    if (packed.limit() != count * elementBytes(datatype)) {
      throw new IllegalArgumentException(
          "tensor '"
              + name
              + "' has "
              + packed.limit()
              + " bytes, "
              + count
              + " elements of "
              + datatype
              + " take "
              + count * elementBytes(datatype));
    }
  }

  /** The elements' array ({@link ArrayTensor#elements()}), decoded from the packed buffer. */
  static Object unpack(Datatype datatype, ByteBuffer packed, int count) {
    ByteBuffer in = packed.duplicate().order(packed.order());
    return switch (datatype) {
      case FP32 -> get(in.asFloatBuffer(), new float[count]);
      case FP64 -> get(in.asDoubleBuffer(), new double[count]);
      case FP16, BF16 -> halves(in, count, datatype);
      case INT8, UINT8 -> get(in, new byte[count]);
      case INT16 -> get(in.asShortBuffer(), new short[count]);
      case INT32 -> get(in.asIntBuffer(), new int[count]);
      default -> get(in.asLongBuffer(), new long[count]);
    };
  }

  private static float[] get(java.nio.FloatBuffer in, float[] out) {
    in.get(out);
    return out;
  }

  private static double[] get(java.nio.DoubleBuffer in, double[] out) {
    in.get(out);
    return out;
  }

  private static byte[] get(ByteBuffer in, byte[] out) {
    in.get(out);
    return out;
  }

  private static short[] get(java.nio.ShortBuffer in, short[] out) {
    in.get(out);
    return out;
  }

  private static int[] get(java.nio.IntBuffer in, int[] out) {
    in.get(out);
    return out;
  }

  private static long[] get(java.nio.LongBuffer in, long[] out) {
    in.get(out);
    return out;
  }

  private static float[] halves(ByteBuffer in, int count, Datatype datatype) {
    float[] out = new float[count];
    for (int i = 0; i < count; i++) {
      out[i] = Halves.toFloat(datatype, in.getShort(2 * i));
    }
    return out;
  }
}
