package dev.ferry.hub.packaging;

import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.TensorInfo;
import ai.onnxruntime.platform.Fp16Conversions;
import dev.ferry.protocol.release.Datatype;
import dev.ferry.protocol.release.Tensor;
import java.nio.ByteBuffer;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import java.nio.LongBuffer;
import java.nio.ShortBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.function.IntFunction;

/** Converts between protocol {@link Tensor}s and ONNX Runtime tensors. */
final class OrtTensors {
  /** The element types the hub can feed to and read from ONNX Runtime. */
  static final Set<Datatype> SUPPORTED =
      EnumSet.of(
          Datatype.BOOL,
          Datatype.UINT8,
          Datatype.INT8,
          Datatype.INT16,
          Datatype.INT32,
          Datatype.INT64,
          Datatype.FP16,
          Datatype.BF16,
          Datatype.FP32,
          Datatype.FP64);

  private OrtTensors() {}

  /** A native tensor holding the elements; {@code where} names the tensor in messages. */
  static OnnxTensor create(OrtEnvironment env, Tensor tensor, String where) throws OrtException {
    long[] shape = tensor.shape().stream().mapToLong(Long::longValue).toArray();
    return switch (tensor.datatype()) {
      case FP32 -> OnnxTensor.createTensor(env, floats(tensor, where), shape);
      case FP16 -> OnnxTensor.createTensor(env, halves(tensor, where), shape, OnnxJavaType.FLOAT16);
      case BF16 ->
          OnnxTensor.createTensor(env, halves(tensor, where), shape, OnnxJavaType.BFLOAT16);
      case FP64 -> OnnxTensor.createTensor(env, doubles(tensor), shape);
      case BOOL -> OnnxTensor.createTensor(env, bytes(tensor, where), shape, OnnxJavaType.BOOL);
      case INT8 -> OnnxTensor.createTensor(env, bytes(tensor, where), shape, OnnxJavaType.INT8);
      case UINT8 -> OnnxTensor.createTensor(env, bytes(tensor, where), shape, OnnxJavaType.UINT8);
      case INT16 -> OnnxTensor.createTensor(env, shorts(tensor, where), shape, OnnxJavaType.INT16);
      case INT32 -> OnnxTensor.createTensor(env, ints(tensor, where), shape);
      case INT64 -> OnnxTensor.createTensor(env, longs(tensor, where), shape);
      default -> throw new InvalidGoldenException(unsupported(where, tensor.datatype()));
    };
  }

  /** The elements of a native tensor; floats as the doubles they exactly are. */
  static Tensor read(String name, OnnxTensor tensor) {
    TensorInfo info = tensor.getInfo();
    Datatype type = OrtTypes.datatype(info.onnxType, "output " + CpuSession.quote(name));
    List<Long> shape = Arrays.stream(info.getShape()).boxed().toList();
    return new Tensor(name, type, shape, elements(tensor, type, (int) info.getNumElements()));
  }

  static String unsupported(String where, Datatype type) {
    return where + " is " + type + "; the hub computes golden vectors for " + SUPPORTED + " only";
  }

  private static List<Object> elements(OnnxTensor tensor, Datatype type, int n) {
    switch (type) {
      case FP32 -> {
        FloatBuffer buffer = tensor.getFloatBuffer();
        return list(n, i -> (double) buffer.get(i));
      }
      case FP16, BF16 -> {
        ShortBuffer buffer = tensor.getShortBuffer();
        return list(n, i -> (double) halfToFloat(type, buffer.get(i)));
      }
      case FP64 -> {
        DoubleBuffer buffer = tensor.getDoubleBuffer();
        return list(n, buffer::get);
      }
      case BOOL, INT8, UINT8 -> {
        ByteBuffer buffer = tensor.getByteBuffer();
        return list(n, i -> byteElement(type, buffer.get(i)));
      }
      case INT16 -> {
        ShortBuffer buffer = tensor.getShortBuffer();
        return list(n, i -> Elements.integral(buffer.get(i)));
      }
      case INT32 -> {
        IntBuffer buffer = tensor.getIntBuffer();
        return list(n, i -> Elements.integral(buffer.get(i)));
      }
      case INT64 -> {
        LongBuffer buffer = tensor.getLongBuffer();
        return list(n, i -> Elements.integral(buffer.get(i)));
      }
      default -> throw new InvalidGoldenException(unsupported("output", type));
    }
  }

  private static List<Object> list(int n, IntFunction<Object> element) {
    List<Object> list = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      list.add(element.apply(i));
    }
    return list;
  }

  private static Object byteElement(Datatype type, byte value) {
    if (type == Datatype.BOOL) {
      return value != 0;
    }
    return Elements.integral(type == Datatype.UINT8 ? Byte.toUnsignedInt(value) : value);
  }

  private static float halfToFloat(Datatype type, short bits) {
    return type == Datatype.FP16
        ? Fp16Conversions.fp16ToFloat(bits)
        : Fp16Conversions.bf16ToFloat(bits);
  }

  private static FloatBuffer floats(Tensor tensor, String where) {
    FloatBuffer buffer = FloatBuffer.allocate(tensor.data().size());
    for (int i = 0; i < tensor.data().size(); i++) {
      buffer.put(Elements.single(tensor.data().get(i), tensor.datatype(), at(where, i)));
    }
    return buffer.flip();
  }

  private static ShortBuffer halves(Tensor tensor, String where) {
    ShortBuffer buffer = ShortBuffer.allocate(tensor.data().size());
    for (int i = 0; i < tensor.data().size(); i++) {
      float value = Elements.single(tensor.data().get(i), tensor.datatype(), at(where, i));
      buffer.put(
          tensor.datatype() == Datatype.FP16
              ? Fp16Conversions.floatToFp16(value)
              : Fp16Conversions.floatToBf16(value));
    }
    return buffer.flip();
  }

  private static DoubleBuffer doubles(Tensor tensor) {
    DoubleBuffer buffer = DoubleBuffer.allocate(tensor.data().size());
    tensor.data().forEach(element -> buffer.put(((Number) element).doubleValue()));
    return buffer.flip();
  }

  private static ByteBuffer bytes(Tensor tensor, String where) {
    ByteBuffer buffer = ByteBuffer.allocate(tensor.data().size());
    for (int i = 0; i < tensor.data().size(); i++) {
      Object element = tensor.data().get(i);
      buffer.put(
          element instanceof Boolean bool
              ? (byte) (bool ? 1 : 0)
              : (byte) Elements.whole(element, tensor.datatype(), at(where, i)));
    }
    return buffer.flip();
  }

  private static ShortBuffer shorts(Tensor tensor, String where) {
    ShortBuffer buffer = ShortBuffer.allocate(tensor.data().size());
    for (int i = 0; i < tensor.data().size(); i++) {
      buffer.put((short) Elements.whole(tensor.data().get(i), tensor.datatype(), at(where, i)));
    }
    return buffer.flip();
  }

  private static IntBuffer ints(Tensor tensor, String where) {
    IntBuffer buffer = IntBuffer.allocate(tensor.data().size());
    for (int i = 0; i < tensor.data().size(); i++) {
      buffer.put((int) Elements.whole(tensor.data().get(i), tensor.datatype(), at(where, i)));
    }
    return buffer.flip();
  }

  private static LongBuffer longs(Tensor tensor, String where) {
    LongBuffer buffer = LongBuffer.allocate(tensor.data().size());
    for (int i = 0; i < tensor.data().size(); i++) {
      buffer.put(Elements.whole(tensor.data().get(i), tensor.datatype(), at(where, i)));
    }
    return buffer.flip();
  }

  private static String at(String where, int index) {
    return where + " data[" + index + "]";
  }
}
