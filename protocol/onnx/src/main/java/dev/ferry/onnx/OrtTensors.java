package dev.ferry.onnx;

import static dev.ferry.protocol.release.Datatype.BF16;
import static dev.ferry.protocol.release.Datatype.FP16;

import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.TensorInfo;
import dev.ferry.protocol.release.Datatype;
import java.lang.reflect.Array;
import java.nio.Buffer;
import java.nio.ByteBuffer;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import java.nio.LongBuffer;
import java.nio.ShortBuffer;

/**
 * Converts between {@link ArrayTensor}s and ONNX Runtime tensors, one bulk copy each way (FP16 and
 * BF16 converted element by element, {@link Halves}).
 */
public final class OrtTensors {
  private OrtTensors() {}

  /**
   * A native tensor holding a copy of the elements, or over a {@link ArrayTensor#packed} tensor's
   * buffer itself (no copy); the caller closes it.
   *
   * @throws UnsupportedElementTypeException if ONNX Runtime's Java API cannot hold the datatype
   * @throws OrtException if ONNX Runtime cannot create it
   */
  public static OnnxTensor create(OrtEnvironment env, ArrayTensor tensor) throws OrtException {
    long[] shape = tensor.shape();
    if (tensor.isPacked()) {
      return OnnxTensor.createTensor(
          env, tensor.packedBuffer(), shape, javaType(tensor.datatype()));
    }
    Object e = tensor.elements();
    return switch (tensor.datatype()) {
      case FP32 -> OnnxTensor.createTensor(env, FloatBuffer.wrap((float[]) e), shape);
      case FP64 -> OnnxTensor.createTensor(env, DoubleBuffer.wrap((double[]) e), shape);
      case FP16 ->
          OnnxTensor.createTensor(env, halves((float[]) e, FP16), shape, OnnxJavaType.FLOAT16);
      case BF16 ->
          OnnxTensor.createTensor(env, halves((float[]) e, BF16), shape, OnnxJavaType.BFLOAT16);
      case BOOL ->
          OnnxTensor.createTensor(env, ByteBuffer.wrap((byte[]) e), shape, OnnxJavaType.BOOL);
      case INT8 ->
          OnnxTensor.createTensor(env, ByteBuffer.wrap((byte[]) e), shape, OnnxJavaType.INT8);
      case UINT8 ->
          OnnxTensor.createTensor(env, ByteBuffer.wrap((byte[]) e), shape, OnnxJavaType.UINT8);
      case INT16 ->
          OnnxTensor.createTensor(env, ShortBuffer.wrap((short[]) e), shape, OnnxJavaType.INT16);
      case INT32 -> OnnxTensor.createTensor(env, IntBuffer.wrap((int[]) e), shape);
      case INT64 -> OnnxTensor.createTensor(env, LongBuffer.wrap((long[]) e), shape);
      case BYTES -> OnnxTensor.createTensor(env, (String[]) e, shape);
      default ->
          throw new UnsupportedElementTypeException(
              "tensor '" + tensor.name() + "'", tensor.datatype());
    };
  }

  /** ONNX Runtime's Java type for a packable datatype ({@link PackedElements#holds}). */
  private static OnnxJavaType javaType(Datatype datatype) {
    return switch (datatype) {
      case FP32 -> OnnxJavaType.FLOAT;
      case FP64 -> OnnxJavaType.DOUBLE;
      case FP16 -> OnnxJavaType.FLOAT16;
      case BF16 -> OnnxJavaType.BFLOAT16;
      case INT8 -> OnnxJavaType.INT8;
      case UINT8 -> OnnxJavaType.UINT8;
      case INT16 -> OnnxJavaType.INT16;
      case INT32 -> OnnxJavaType.INT32;
      default -> OnnxJavaType.INT64;
    };
  }

  /**
   * A native tensor's elements, copied out.
   *
   * @param name the tensor's name, for the result and messages
   * @throws UnsupportedElementTypeException if the protocol or ONNX Runtime's Java API cannot carry
   *     its element type
   * @throws OrtException if ONNX Runtime cannot give its elements
   */
  public static ArrayTensor read(String name, OnnxTensor tensor) throws OrtException {
    TensorInfo info = tensor.getInfo();
    Datatype type = OrtTypes.require(info.onnxType, "output '" + name + "'");
    int n = Math.toIntExact(info.getNumElements());
    Object elements =
        switch (type) {
          case FP32 -> floats(tensor.getFloatBuffer(), n);
          case FP64 -> doubles(tensor.getDoubleBuffer(), n);
          case FP16, BF16 -> floats(tensor.getShortBuffer(), n, type);
          case BOOL, INT8, UINT8 -> bytes(tensor.getByteBuffer(), n);
          case INT16 -> shorts(tensor.getShortBuffer(), n);
          case INT32 -> ints(tensor.getIntBuffer(), n);
          case INT64 -> longs(tensor.getLongBuffer(), n);
          case BYTES -> strings(tensor.getValue(), n);
          default -> throw new UnsupportedElementTypeException("output '" + name + "'", type);
        };
    return new ArrayTensor(name, type, info.getShape(), elements);
  }

  // ONNX Runtime's get*Buffer() already copies the native elements into a new heap buffer of
  // exactly n: its array is taken as it is, not copied a second time

  private static boolean whole(Buffer from, int n) {
    return from.hasArray() && from.arrayOffset() == 0 && Array.getLength(from.array()) == n;
  }

  private static float[] floats(FloatBuffer from, int n) {
    return whole(from, n) ? from.array() : copy(from, new float[n]);
  }

  private static double[] doubles(DoubleBuffer from, int n) {
    return whole(from, n) ? from.array() : copy(from, new double[n]);
  }

  private static byte[] bytes(ByteBuffer from, int n) {
    return whole(from, n) ? from.array() : copy(from, new byte[n]);
  }

  private static short[] shorts(ShortBuffer from, int n) {
    return whole(from, n) ? from.array() : copy(from, new short[n]);
  }

  private static int[] ints(IntBuffer from, int n) {
    return whole(from, n) ? from.array() : copy(from, new int[n]);
  }

  private static long[] longs(LongBuffer from, int n) {
    return whole(from, n) ? from.array() : copy(from, new long[n]);
  }

  private static float[] copy(FloatBuffer from, float[] to) {
    from.get(to);
    return to;
  }

  private static double[] copy(DoubleBuffer from, double[] to) {
    from.get(to);
    return to;
  }

  private static byte[] copy(ByteBuffer from, byte[] to) {
    from.get(to);
    return to;
  }

  private static short[] copy(ShortBuffer from, short[] to) {
    from.get(to);
    return to;
  }

  private static int[] copy(IntBuffer from, int[] to) {
    from.get(to);
    return to;
  }

  private static long[] copy(LongBuffer from, long[] to) {
    from.get(to);
    return to;
  }

  private static float[] floats(ShortBuffer halves, int n, Datatype datatype) {
    float[] floats = new float[n];
    for (int i = 0; i < n; i++) {
      floats[i] = Halves.toFloat(datatype, halves.get(i));
    }
    return floats;
  }

  private static ShortBuffer halves(float[] floats, Datatype datatype) {
    ShortBuffer buffer = ShortBuffer.allocate(floats.length);
    for (float value : floats) {
      buffer.put(Halves.toBits(datatype, value));
    }
    return buffer.flip();
  }

  /** ONNX Runtime gives string tensors as nested String arrays; flattened row-major. */
  private static String[] strings(Object value, int n) {
    String[] flat = new String[n];
    int filled = flatten(value, flat, 0);
    if (filled != n) {
      throw new IllegalStateException("string output has " + filled + " elements, not " + n);
    }
    return flat;
  }

  private static int flatten(Object value, String[] flat, int at) {
    if (value instanceof String text) {
      flat[at] = text;
      return at + 1;
    }
    int next = at;
    for (int i = 0; i < Array.getLength(value); i++) {
      next = flatten(Array.get(value, i), flat, next);
    }
    return next;
  }
}
