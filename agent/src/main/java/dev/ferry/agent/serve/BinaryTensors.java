package dev.ferry.agent.serve;

import dev.ferry.onnx.ArrayTensor;
import dev.ferry.onnx.LittleEndianElements;
import dev.ferry.onnx.PackedElements;
import dev.ferry.protocol.release.Datatype;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The binary tensor data extension's encoding: elements little-endian and packed, BOOL one byte
 * each, BYTES each a 4-byte little-endian length and its bytes.
 */
public final class BinaryTensors {
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

  /**
   * One input as a tensor from its bytes, their size checked against the shape: {@link
   * ArrayTensor#packed} where the datatype allows, over the bytes themselves when they are aligned
   * direct memory (a request body gathered by {@link InferBody}: no copy), else over one copy;
   * otherwise decoded into its array.
   *
   * @param bytes the input's bytes, from position to limit
   * @param datatype one ONNX Runtime can create ({@code OrtTypes.CREATABLE}), as the request's
   *     input checks it first
   * @param sizeField where the size came from, for messages: {@code parameters.binary_data_size}
   */
  static ArrayTensor tensor(
      String name,
      ByteBuffer bytes,
      Datatype datatype,
      List<Long> shape,
      int count,
      String what,
      String sizeField) {
    long[] dims = shape.stream().mapToLong(Long::longValue).toArray();
    if (PackedElements.holds(datatype)) {
      checkSize(bytes.remaining(), datatype, count, what + " " + sizeField, shape);
      return ArrayTensor.packed(name, datatype, dims, PackedElements.of(bytes, datatype));
    }
    return new ArrayTensor(
        name, datatype, dims, decode(bytes, datatype, count, what, shape, sizeField));
  }

  /**
   * One input's elements from its bytes; their size checked against the shape.
   *
   * @param bytes the input's bytes, from position to limit
   * @param sizeField where the size came from, for messages: {@code parameters.binary_data_size}
   */
  private static Object decode(
      ByteBuffer bytes,
      Datatype datatype,
      int count,
      String what,
      List<Long> shape,
      String sizeField) {
    checkSize(bytes.remaining(), datatype, count, what + " " + sizeField, shape);
    if (elementBytes(datatype) == 0) {
      return strings(bytes.slice().order(ByteOrder.LITTLE_ENDIAN), count, what);
    }
    return LittleEndianElements.decode(bytes, datatype, count);
  }

  /** {@code field} names the size: {@code input 'x' parameters.binary_data_size}. */
  private static void checkSize(
      int size, Datatype datatype, int count, String field, List<Long> shape) {
    int each = elementBytes(datatype);
    // a BYTES element takes at least its 4-byte length: no shape makes us allocate more than that
    long needed = (long) count * (each == 0 ? 4 : each);
    if (each == 0 ? needed > size : needed != size) {
      throw new InvalidRequestException(
          field
              + " is "
              + size
              + ", shape "
              + shape
              + " of "
              + datatype
              + (each == 0 ? " needs at least " : " takes ")
              + needed
              + " bytes");
    }
  }

  private static String[] strings(ByteBuffer in, int count, String what) {
    String[] out = new String[count];
    for (int i = 0; i < count; i++) {
      out[i] = string(in, i, count, what);
    }
    if (in.hasRemaining()) {
      throw new InvalidRequestException(
          what + " binary data has " + in.remaining() + " bytes after its " + count + " elements");
    }
    return out;
  }

  /** Element {@code i}: a 4-byte little-endian length, then that many bytes of UTF-8. */
  private static String string(ByteBuffer in, int i, int count, String what) {
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
    return utf8(element, i, what);
  }

  private static String utf8(ByteBuffer element, int i, String what) {
    try {
      return StandardCharsets.UTF_8.newDecoder().decode(element).toString();
    } catch (CharacterCodingException e) {
      throw new InvalidRequestException(
          what + " binary element " + i + " is not UTF-8 text, which ONNX Runtime's strings need");
    }
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

  /**
   * A tensor's elements in this encoding, {@link #size} bytes: the gRPC endpoint's raw contents.
   */
  public static byte[] encode(ArrayTensor tensor) {
    ByteBuffer out = ByteBuffer.allocate(size(tensor));
    encode(tensor, out);
    return out.array();
  }

  /**
   * Writes a tensor's elements, {@link #size} bytes, at the buffer's position, in one bulk copy
   * from its array (no intermediate buffer), and moves the position past them.
   */
  static void encode(ArrayTensor tensor, ByteBuffer out) {
    if (elementBytes(tensor.datatype()) == 0) {
      putStrings(out.slice().order(ByteOrder.LITTLE_ENDIAN), (String[]) tensor.elements());
    } else {
      LittleEndianElements.encode(tensor, out);
    }
    out.position(out.position() + size(tensor));
  }

  private static void putStrings(ByteBuffer out, String[] texts) {
    for (String text : texts) {
      byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
      out.putInt(bytes.length).put(bytes);
    }
  }
}
