package dev.ferry.agent.serve;

import dev.ferry.onnx.ArrayTensor;
import dev.ferry.onnx.Halves;
import dev.ferry.protocol.release.Datatype;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The binary tensor data extension's encoding: elements little-endian and packed, BOOL one byte
 * each, BYTES each a 4-byte little-endian length and its bytes.
 */
final class BinaryTensors {
  private BinaryTensors() {}

  /** Bytes per element; 0 for BYTES, whose elements vary. */
  static int elementBytes(Datatype datatype) {
    return switch (datatype) {
      case BOOL, INT8, UINT8 -> 1;
      case INT16, FP16, BF16 -> 2;
      case INT32, FP32 -> 4;
      case INT64, FP64 -> 8;
      default -> 0;
    };
  }

  /** One input's elements from its part of the body; its size checked against the shape. */
  static Object decode(
      byte[] body,
      int offset,
      int size,
      Datatype datatype,
      int count,
      String what,
      List<Long> shape) {
    ByteBuffer in = ByteBuffer.wrap(body, offset, size).slice().order(ByteOrder.LITTLE_ENDIAN);
    int each = elementBytes(datatype);
    // a BYTES element takes at least its 4-byte length: no shape makes us allocate more than that
    long needed = (long) count * (each == 0 ? 4 : each);
    if (each == 0 ? needed > size : needed != size) {
      throw new InvalidRequestException(
          what
              + " parameters.binary_data_size is "
              + size
              + ", shape "
              + shape
              + " of "
              + datatype
              + (each == 0 ? " needs at least " : " takes ")
              + needed
              + " bytes");
    }
    return switch (datatype) {
      case FP32 -> {
        float[] out = new float[count];
        in.asFloatBuffer().get(out);
        yield out;
      }
      case FP64 -> {
        double[] out = new double[count];
        in.asDoubleBuffer().get(out);
        yield out;
      }
      case FP16, BF16 -> {
        float[] out = new float[count];
        for (int i = 0; i < count; i++) {
          out[i] = Halves.toFloat(datatype, in.getShort(2 * i));
        }
        yield out;
      }
      case BOOL -> {
        byte[] out = new byte[count];
        for (int i = 0; i < count; i++) {
          out[i] = (byte) (in.get(i) == 0 ? 0 : 1);
        }
        yield out;
      }
      case INT8, UINT8 -> {
        byte[] out = new byte[count];
        in.get(out);
        yield out;
      }
      case INT16 -> {
        short[] out = new short[count];
        in.asShortBuffer().get(out);
        yield out;
      }
      case INT32 -> {
        int[] out = new int[count];
        in.asIntBuffer().get(out);
        yield out;
      }
      case INT64 -> {
        long[] out = new long[count];
        in.asLongBuffer().get(out);
        yield out;
      }
      default -> strings(in, count, what);
    };
  }

  private static String[] strings(ByteBuffer in, int count, String what) {
    String[] out = new String[count];
    for (int i = 0; i < count; i++) {
      if (in.remaining() < 4) {
        throw new InvalidRequestException(
            what + " binary data ends before element " + i + " of " + count);
      }
      int length = in.getInt();
      if (length < 0 || length > in.remaining()) {
        throw new InvalidRequestException(
            what
                + " binary element "
                + i
                + " claims "
                + Integer.toUnsignedString(length)
                + " bytes, "
                + in.remaining()
                + " are left");
      }
      ByteBuffer element = in.slice().limit(length);
      in.position(in.position() + length);
      try {
        out[i] = StandardCharsets.UTF_8.newDecoder().decode(element).toString();
      } catch (CharacterCodingException e) {
        throw new InvalidRequestException(
            what
                + " binary element "
                + i
                + " is not UTF-8 text, which ONNX Runtime's strings need");
      }
    }
    if (in.hasRemaining()) {
      throw new InvalidRequestException(
          what + " binary data has " + in.remaining() + " bytes after its " + count + " elements");
    }
    return out;
  }

  /** The bytes {@link #encode} writes for a tensor. */
  static int size(ArrayTensor tensor) {
    int each = elementBytes(tensor.datatype());
    if (each > 0) {
      return Math.toIntExact((long) tensor.size() * each);
    }
    long size = 0;
    for (String text : (String[]) tensor.elements()) {
      size += 4 + text.getBytes(StandardCharsets.UTF_8).length;
    }
    return Math.toIntExact(size);
  }

  /** Appends a tensor's elements, {@link #size} bytes. */
  static void encode(ArrayTensor tensor, ByteArrayOutputStream out) {
    Object e = tensor.elements();
    int n = tensor.size();
    int each = elementBytes(tensor.datatype());
    if (each == 0) {
      ByteBuffer length = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN);
      for (String text : (String[]) e) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        out.write(length.putInt(0, bytes.length).array(), 0, 4);
        out.write(bytes, 0, bytes.length);
      }
      return;
    }
    ByteBuffer buffer =
        ByteBuffer.allocate(Math.toIntExact((long) n * each)).order(ByteOrder.LITTLE_ENDIAN);
    switch (tensor.datatype()) {
      case FP32 -> buffer.asFloatBuffer().put((float[]) e);
      case FP64 -> buffer.asDoubleBuffer().put((double[]) e);
      case FP16, BF16 -> {
        float[] floats = (float[]) e;
        for (int i = 0; i < n; i++) {
          buffer.putShort(2 * i, Halves.toBits(tensor.datatype(), floats[i]));
        }
      }
      case BOOL, INT8, UINT8 -> buffer.put((byte[]) e);
      case INT16 -> buffer.asShortBuffer().put((short[]) e);
      case INT32 -> buffer.asIntBuffer().put((int[]) e);
      default -> buffer.asLongBuffer().put((long[]) e);
    }
    out.write(buffer.array(), 0, buffer.capacity());
  }
}
