package dev.ferry.agent.runtime;

import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.TensorInfo;
import ai.onnxruntime.platform.Fp16Conversions;
import dev.ferry.protocol.release.Datatype;
import dev.ferry.protocol.release.Tensor;
import java.lang.reflect.Array;
import java.nio.ByteBuffer;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import java.nio.LongBuffer;
import java.nio.ShortBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import java.util.function.IntFunction;

/**
 * Converts between protocol {@link Tensor}s, whose elements the caller has checked, and ONNX
 * Runtime tensors.
 */
final class OrtTensors {
  private OrtTensors() {}

  static OnnxTensor create(OrtEnvironment env, Tensor tensor) throws OrtException {
    long[] shape = tensor.shape().stream().mapToLong(Long::longValue).toArray();
    List<Object> data = tensor.data();
    return switch (tensor.datatype()) {
      case FP32 -> OnnxTensor.createTensor(env, floats(data), shape);
      case FP64 -> OnnxTensor.createTensor(env, doubles(data), shape);
      case FP16 -> OnnxTensor.createTensor(env, halves(data, true), shape, OnnxJavaType.FLOAT16);
      case BF16 -> OnnxTensor.createTensor(env, halves(data, false), shape, OnnxJavaType.BFLOAT16);
      case BOOL -> OnnxTensor.createTensor(env, bytes(data), shape, OnnxJavaType.BOOL);
      case INT8 -> OnnxTensor.createTensor(env, bytes(data), shape, OnnxJavaType.INT8);
      case UINT8 -> OnnxTensor.createTensor(env, bytes(data), shape, OnnxJavaType.UINT8);
      case INT16 -> OnnxTensor.createTensor(env, shorts(data), shape, OnnxJavaType.INT16);
      case INT32 -> OnnxTensor.createTensor(env, ints(data), shape);
      case INT64 -> OnnxTensor.createTensor(env, longs(data), shape);
      case BYTES -> OnnxTensor.createTensor(env, data.toArray(String[]::new), shape);
      default ->
          throw new IllegalArgumentException(
              "input '"
                  + tensor.name()
                  + "' has datatype "
                  + tensor.datatype()
                  + ", not supported");
    };
  }

  /** The elements of a native tensor: FP32 as Float, integers as Long, BOOL as Boolean. */
  static Tensor read(String name, OnnxTensor tensor) throws OrtException {
    TensorInfo info = tensor.getInfo();
    Datatype type = OrtTypes.datatype(info.onnxType);
    if (type == null) {
      throw new IllegalStateException("output '" + name + "' has element type " + info.onnxType);
    }
    List<Long> shape = Arrays.stream(info.getShape()).boxed().toList();
    return new Tensor(name, type, shape, elements(tensor, type, (int) info.getNumElements()));
  }

  private static List<Object> elements(OnnxTensor tensor, Datatype type, int n)
      throws OrtException {
    return switch (type) {
      case FP32 -> list(n, tensor.getFloatBuffer()::get);
      case FP64 -> list(n, tensor.getDoubleBuffer()::get);
      case FP16 -> half(n, tensor.getShortBuffer(), true);
      case BF16 -> half(n, tensor.getShortBuffer(), false);
      case BOOL -> bytes(n, tensor.getByteBuffer(), b -> b != 0);
      case INT8 -> bytes(n, tensor.getByteBuffer(), b -> (long) b);
      case UINT8 -> bytes(n, tensor.getByteBuffer(), b -> (long) Byte.toUnsignedInt(b));
      case INT16 -> widen(n, tensor.getShortBuffer());
      case INT32 -> widen(n, tensor.getIntBuffer());
      case INT64 -> list(n, tensor.getLongBuffer()::get);
      case BYTES -> strings(tensor.getValue());
      default -> throw new IllegalStateException("output datatype " + type + " is not supported");
    };
  }

  private static List<Object> list(int n, IntFunction<Object> element) {
    List<Object> list = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      list.add(element.apply(i));
    }
    return list;
  }

  private static List<Object> widen(int n, ShortBuffer buffer) {
    return list(n, i -> (long) buffer.get(i));
  }

  private static List<Object> widen(int n, IntBuffer buffer) {
    return list(n, i -> (long) buffer.get(i));
  }

  private static List<Object> half(int n, ShortBuffer buffer, boolean fp16) {
    return list(
        n,
        i ->
            fp16
                ? Fp16Conversions.fp16ToFloat(buffer.get(i))
                : Fp16Conversions.bf16ToFloat(buffer.get(i)));
  }

  private static List<Object> bytes(int n, ByteBuffer buffer, Function<Byte, Object> element) {
    return list(n, i -> element.apply(buffer.get(i)));
  }

  private static List<Object> strings(Object value) {
    List<Object> flat = new ArrayList<>();
    flatten(value, flat);
    return flat;
  }

  private static void flatten(Object value, List<Object> flat) {
    if (value != null && value.getClass().isArray()) {
      for (int i = 0; i < Array.getLength(value); i++) {
        flatten(Array.get(value, i), flat);
      }
    } else {
      flat.add(value);
    }
  }

  private static FloatBuffer floats(List<Object> data) {
    FloatBuffer buffer = FloatBuffer.allocate(data.size());
    data.forEach(e -> buffer.put(((Number) e).floatValue()));
    return buffer.flip();
  }

  private static DoubleBuffer doubles(List<Object> data) {
    DoubleBuffer buffer = DoubleBuffer.allocate(data.size());
    data.forEach(e -> buffer.put(((Number) e).doubleValue()));
    return buffer.flip();
  }

  private static ShortBuffer halves(List<Object> data, boolean fp16) {
    ShortBuffer buffer = ShortBuffer.allocate(data.size());
    for (Object e : data) {
      float value = ((Number) e).floatValue();
      buffer.put(fp16 ? Fp16Conversions.floatToFp16(value) : Fp16Conversions.floatToBf16(value));
    }
    return buffer.flip();
  }

  private static ByteBuffer bytes(List<Object> data) {
    ByteBuffer buffer = ByteBuffer.allocate(data.size());
    for (Object e : data) {
      buffer.put(e instanceof Boolean b ? (byte) (b ? 1 : 0) : ((Number) e).byteValue());
    }
    return buffer.flip();
  }

  private static ShortBuffer shorts(List<Object> data) {
    ShortBuffer buffer = ShortBuffer.allocate(data.size());
    data.forEach(e -> buffer.put(((Number) e).shortValue()));
    return buffer.flip();
  }

  private static IntBuffer ints(List<Object> data) {
    IntBuffer buffer = IntBuffer.allocate(data.size());
    data.forEach(e -> buffer.put(((Number) e).intValue()));
    return buffer.flip();
  }

  private static LongBuffer longs(List<Object> data) {
    LongBuffer buffer = LongBuffer.allocate(data.size());
    data.forEach(e -> buffer.put(((Number) e).longValue()));
    return buffer.flip();
  }
}
