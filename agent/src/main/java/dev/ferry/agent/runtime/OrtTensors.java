package dev.ferry.agent.runtime;

import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.TensorInfo;
import ai.onnxruntime.platform.Fp16Conversions;
import dev.ferry.protocol.release.Datatype;
import java.lang.reflect.Array;
import java.nio.ByteBuffer;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import java.nio.LongBuffer;
import java.nio.ShortBuffer;

/** Converts between {@link ArrayTensor}s and ONNX Runtime tensors, one bulk copy each way. */
final class OrtTensors {
  private OrtTensors() {}

  static OnnxTensor create(OrtEnvironment env, ArrayTensor tensor) throws OrtException {
    long[] shape = tensor.shape();
    Object e = tensor.elements();
    return switch (tensor.datatype()) {
      case FP32 -> OnnxTensor.createTensor(env, FloatBuffer.wrap((float[]) e), shape);
      case FP64 -> OnnxTensor.createTensor(env, DoubleBuffer.wrap((double[]) e), shape);
      case FP16 ->
          OnnxTensor.createTensor(env, halves((float[]) e, true), shape, OnnxJavaType.FLOAT16);
      case BF16 ->
          OnnxTensor.createTensor(env, halves((float[]) e, false), shape, OnnxJavaType.BFLOAT16);
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
          throw new IllegalArgumentException(
              "input '"
                  + tensor.name()
                  + "' has datatype "
                  + tensor.datatype()
                  + ", not supported");
    };
  }

  /** A native tensor's elements, copied out. */
  static ArrayTensor read(String name, OnnxTensor tensor) throws OrtException {
    TensorInfo info = tensor.getInfo();
    Datatype type = OrtTypes.datatype(info.onnxType);
    if (type == null) {
      throw new IllegalStateException("output '" + name + "' has element type " + info.onnxType);
    }
    int n = Math.toIntExact(info.getNumElements());
    Object elements =
        switch (type) {
          case FP32 -> copy(tensor.getFloatBuffer(), new float[n]);
          case FP64 -> copy(tensor.getDoubleBuffer(), new double[n]);
          case FP16 -> floats(tensor.getShortBuffer(), n, true);
          case BF16 -> floats(tensor.getShortBuffer(), n, false);
          case BOOL, INT8, UINT8 -> copy(tensor.getByteBuffer(), new byte[n]);
          case INT16 -> copy(tensor.getShortBuffer(), new short[n]);
          case INT32 -> copy(tensor.getIntBuffer(), new int[n]);
          case INT64 -> copy(tensor.getLongBuffer(), new long[n]);
          case BYTES -> strings(tensor.getValue(), n);
          default ->
              throw new IllegalStateException("output datatype " + type + " is not supported");
        };
    return new ArrayTensor(name, type, info.getShape(), elements);
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

  private static float[] floats(ShortBuffer halves, int n, boolean fp16) {
    float[] floats = new float[n];
    for (int i = 0; i < n; i++) {
      short bits = halves.get(i);
      floats[i] = fp16 ? Fp16Conversions.fp16ToFloat(bits) : Fp16Conversions.bf16ToFloat(bits);
    }
    return floats;
  }

  private static ShortBuffer halves(float[] floats, boolean fp16) {
    ShortBuffer buffer = ShortBuffer.allocate(floats.length);
    for (float value : floats) {
      buffer.put(fp16 ? Fp16Conversions.floatToFp16(value) : Fp16Conversions.floatToBf16(value));
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
