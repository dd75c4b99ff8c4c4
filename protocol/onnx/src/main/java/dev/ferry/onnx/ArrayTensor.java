package dev.ferry.onnx;

import dev.ferry.protocol.release.Datatype;
import dev.ferry.protocol.release.Tensor;
import java.lang.reflect.Array;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;

/**
 * A tensor as hub and agent feed ONNX Runtime: its elements row-major in one primitive array, never
 * boxed, so a request reaches ONNX Runtime and its answer the caller in one copy each way.
 *
 * <p>The array by datatype: {@code float[]} for FP32, FP16 and BF16 (converted at the ONNX Runtime
 * boundary); {@code double[]} FP64; {@code byte[]} BOOL (0 or 1), INT8 and UINT8 (the raw bits);
 * {@code short[]} INT16; {@code int[]} INT32; {@code long[]} INT64; {@code String[]} BYTES. The
 * shape is checked against the element count; the elements against the datatype by whoever made
 * them (the agent's request parser, or {@link #of} for golden vectors).
 *
 * <p>A {@link #packed} tensor holds its elements as ONNX Runtime takes them instead, in a direct
 * buffer in native order, which becomes the native tensor without a copy; its array is decoded from
 * the buffer only if {@link #elements()} is asked for.
 */
public final class ArrayTensor {
  private final String name;
  private final Datatype datatype;
  private final long[] shape;
  private final ByteBuffer packed;
  private volatile Object elements;

  /**
   * @param name the tensor name
   * @param datatype its datatype
   * @param shape its shape
   * @param elements the array for the datatype, as the class comment lists
   */
  public ArrayTensor(String name, Datatype datatype, long[] shape, Object elements) {
    if (elements == null || elements.getClass() != arrayClass(datatype)) {
      throw new IllegalArgumentException(
          "tensor '" + name + "' of " + datatype + " cannot hold " + elements);
    }
    long count = count(shape);
    if (count != Array.getLength(elements)) {
      throw new IllegalArgumentException(
          "tensor '"
              + name
              + "' has "
              + Array.getLength(elements)
              + " elements, shape "
              + Arrays.toString(shape)
              + " needs "
              + count);
    }
    this.name = name;
    this.datatype = datatype;
    this.shape = shape.clone();
    this.packed = null;
    this.elements = elements;
  }

  private ArrayTensor(String name, Datatype datatype, long[] shape, ByteBuffer packed) {
    this.name = name;
    this.datatype = datatype;
    this.shape = shape.clone();
    this.packed = packed;
  }

  /**
   * A tensor over elements already packed as ONNX Runtime holds them: a direct buffer in native
   * byte order, its position 0 and its limit the elements' size; it is kept, not copied. For the
   * fixed-width datatypes but BOOL ({@link PackedElements#holds}); FP16 and BF16 as their bits.
   *
   * @throws IllegalArgumentException if the datatype cannot be packed, the buffer is not direct and
   *     in native order, or its size is not what the shape needs
   */
  public static ArrayTensor packed(
      String name, Datatype datatype, long[] shape, ByteBuffer packed) {
    PackedElements.check(name, datatype, count(shape), packed);
    return new ArrayTensor(name, datatype, shape, packed);
  }

  private static long count(long[] shape) {
    long count = 1;
    for (long dim : shape) {
      count = Math.multiplyExact(count, dim);
    }
    return count;
  }

  /** Whether the elements are {@link #packed} for ONNX Runtime. */
  public boolean isPacked() {
    return packed != null;
  }

  /**
   * This tensor with memory of its own, to keep after the memory its packed elements lie in is
   * reused (a request body's, {@link PackedElements#of}): a packed tensor's elements copied, any
   * other tensor as it is.
   */
  public ArrayTensor detached() {
    return packed == null
        ? this
        : new ArrayTensor(name, datatype, shape, PackedElements.pack(packed));
  }

  /** The packed buffer itself, for ONNX Runtime to take as it is: null if not packed. */
  ByteBuffer packedBuffer() {
    return packed;
  }

  /** The array class that holds elements of a datatype. */
  public static Class<?> arrayClass(Datatype datatype) {
    return switch (datatype) {
      case FP32, FP16, BF16 -> float[].class;
      case FP64 -> double[].class;
      case BOOL, INT8, UINT8 -> byte[].class;
      case INT16 -> short[].class;
      case INT32 -> int[].class;
      case INT64 -> long[].class;
      case BYTES -> String[].class;
      default -> throw new IllegalArgumentException(unsupported(datatype));
    };
  }

  static String unsupported(Datatype datatype) {
    return "datatype " + datatype + " is not supported";
  }

  /**
   * A protocol tensor (a golden vector), its elements converted and checked; a raw one's decoded
   * straight into the array, no element boxed (its size was checked when it was made).
   *
   * @throws ElementOutOfRangeException if an element does not fit the datatype
   */
  public static ArrayTensor of(Tensor tensor) {
    return of(tensor, "tensor '" + tensor.name() + "'");
  }

  /**
   * A protocol tensor, its elements converted and checked.
   *
   * @param where the tensor, for messages: {@code "case 0 input 'x'"}
   * @throws ElementOutOfRangeException naming {@code where data[i]} if an element does not fit
   */
  public static ArrayTensor of(Tensor tensor, String where) {
    long[] shape = tensor.shape().stream().mapToLong(Long::longValue).toArray();
    Object elements =
        tensor.raw() == null
            ? Elements.toArray(tensor.data(), tensor.datatype(), where)
            : LittleEndianElements.decode(
                ByteBuffer.wrap(tensor.raw()), tensor.datatype(), (int) count(shape));
    return new ArrayTensor(tensor.name(), tensor.datatype(), shape, elements);
  }

  /** This tensor as a protocol tensor: elements as JSON decoding yields them ({@link Elements}). */
  public Tensor toTensor() {
    return new Tensor(name, datatype, shapeList(), Elements.toList(this));
  }

  /**
   * This tensor as a raw protocol tensor ({@link Tensor#raw()}, {@link LittleEndianElements}); a
   * BYTES tensor, which has no raw form, as {@link #toTensor()}.
   */
  public Tensor toRawTensor() {
    if (datatype == Datatype.BYTES) {
      return toTensor();
    }
    return Tensor.ofRaw(name, datatype, shapeList(), LittleEndianElements.encode(this));
  }

  public String name() {
    return name;
  }

  public Datatype datatype() {
    return datatype;
  }

  /** The shape (a copy). */
  public long[] shape() {
    return shape.clone();
  }

  /** The shape as a list. */
  public List<Long> shapeList() {
    return Arrays.stream(shape).boxed().toList();
  }

  /**
   * The elements' array itself (not a copy): read it, do not change it. A packed tensor decodes it
   * on the first call.
   */
  public Object elements() {
    Object decoded = elements;
    if (decoded == null) {
      decoded = PackedElements.unpack(datatype, packed, (int) count(shape));
      elements = decoded;
    }
    return decoded;
  }

  /** The number of elements. */
  public int size() {
    return (int) count(shape);
  }

  /**
   * One element as a value: Float for FP32, FP16 and BF16, Double for FP64, Long for the integer
   * types (UINT8 unsigned), Boolean for BOOL, String for BYTES. For comparisons and messages, not
   * for bulk work.
   */
  public Object element(int i) {
    return switch (datatype) {
      case FP32, FP16, BF16 -> ((float[]) elements())[i];
      case FP64 -> ((double[]) elements())[i];
      case BOOL -> ((byte[]) elements())[i] != 0;
      case INT8 -> (long) ((byte[]) elements())[i];
      case UINT8 -> (long) Byte.toUnsignedInt(((byte[]) elements())[i]);
      case INT16 -> (long) ((short[]) elements())[i];
      case INT32 -> (long) ((int[]) elements())[i];
      case INT64 -> ((long[]) elements())[i];
      default -> ((String[]) elements())[i];
    };
  }

  @Override
  public String toString() {
    return name + " " + datatype + Arrays.toString(shape);
  }
}
