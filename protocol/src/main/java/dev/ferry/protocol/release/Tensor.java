package dev.ferry.protocol.release;

import dev.ferry.protocol.json.FieldException;
import dev.ferry.protocol.json.Fields;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * A tensor with its data in one of two forms: Open Inference Protocol JSON, a flat, row-major
 * {@code data} list of numbers, booleans ({@code BOOL}) or strings ({@code BYTES}); or {@code raw},
 * its elements' little-endian bytes (base64 in JSON), row-major and packed, in the layout of the
 * binary tensor data extension: {@link Datatype#elementBytes()} bytes each, BOOL one byte (0 or 1),
 * FP16 and BF16 as their bits. A tensor carries exactly one of the two; BYTES only {@code data}.
 * The hub packages golden vectors raw (a large output decodes without a number parsed); readers
 * take both, as releases packaged before carry {@code data}.
 *
 * @param name the tensor name
 * @param datatype the element type
 * @param shape the concrete dimensions
 * @param data the elements, row-major, as many as the shape holds; null when {@code raw} is given
 * @param raw the elements' little-endian bytes, exactly {@link #rawSize} of them; null when {@code
 *     data} is given. The array itself, not a copy: read it, do not change it.
 */
public record Tensor(
    String name, Datatype datatype, List<Long> shape, List<Object> data, byte[] raw) {
  /** Checks that the data fits the shape and the type. */
  public Tensor {
    Fields.text(name, "name");
    Fields.required(datatype, "datatype");
    shape = Fields.list(Fields.required(shape, "shape"), "shape");
    long elements = count(shape);
    if (raw == null) {
      data = checkData(datatype, shape, elements, data);
    } else {
      checkRaw(name, datatype, shape, elements, data, raw);
    }
  }

  /**
   * A tensor in JSON form.
   *
   * @param name the tensor name
   * @param datatype the element type
   * @param shape the concrete dimensions
   * @param data the elements, row-major; as many as the shape holds
   */
  public Tensor(String name, Datatype datatype, List<Long> shape, List<Object> data) {
    this(name, datatype, shape, data, null);
  }

  /**
   * A tensor in raw form.
   *
   * @param name the tensor name
   * @param datatype the element type, not BYTES
   * @param shape the concrete dimensions
   * @param raw the elements' little-endian bytes, kept (not copied)
   * @return the tensor
   */
  public static Tensor ofRaw(String name, Datatype datatype, List<Long> shape, byte[] raw) {
    return new Tensor(name, datatype, shape, null, Objects.requireNonNull(raw, "raw"));
  }

  /**
   * The bytes a raw tensor of this datatype and shape holds.
   *
   * @param datatype a fixed-width datatype
   * @param shape the dimensions
   * @return the element count times {@link Datatype#elementBytes()}
   */
  public static long rawSize(Datatype datatype, List<Long> shape) {
    return Math.multiplyExact(count(shape), datatype.elementBytes());
  }

  private static long count(List<Long> shape) {
    long elements = 1;
    for (int i = 0; i < shape.size(); i++) {
      Fields.atLeast(shape.get(i), 0, "shape[" + i + "]");
      elements = Math.multiplyExact(elements, shape.get(i));
    }
    return elements;
  }

  private static List<Object> checkData(
      Datatype datatype, List<Long> shape, long elements, List<Object> data) {
    List<Object> checked = Fields.list(Fields.required(data, "data"), "data");
    if (checked.size() != elements) {
      throw new FieldException(
          "data",
          "must hold " + elements + " elements for shape " + shape + ", got " + checked.size());
    }
    for (int i = 0; i < checked.size(); i++) {
      checkElement(datatype, checked.get(i), i);
    }
    return checked;
  }

  private static void checkRaw(
      String name, Datatype datatype, List<Long> shape, long elements, Object data, byte[] raw) {
    String tensor = "of tensor " + Fields.show(name);
    if (data != null) {
      throw new FieldException("raw", tensor + " cannot come with data: give one of the two");
    }
    if (datatype == Datatype.BYTES) {
      throw new FieldException("raw", tensor + " cannot hold BYTES elements: give them as data");
    }
    long size = Math.multiplyExact(elements, datatype.elementBytes());
    if (raw.length != size) {
      throw new FieldException(
          "raw",
          String.format(
              "%s must hold %d bytes (%d %s elements of %d bytes for shape %s), got %d",
              tensor, size, elements, datatype, datatype.elementBytes(), shape, raw.length));
    }
  }

  private static void checkElement(Datatype datatype, Object element, int index) {
    boolean fits =
        datatype.isNumeric()
            ? element instanceof Number
            : datatype == Datatype.BOOL ? element instanceof Boolean : element instanceof String;
    if (!fits) {
      throw new FieldException(
          "data[" + index + "]", "must be a " + datatype + " element, got " + Fields.show(element));
    }
  }

  /** Equal name, datatype, shape and data, or equal raw bytes. */
  @Override
  public boolean equals(Object other) {
    return other instanceof Tensor that
        && name.equals(that.name)
        && datatype == that.datatype
        && shape.equals(that.shape)
        && Objects.equals(data, that.data)
        && Arrays.equals(raw, that.raw);
  }

  @Override
  public int hashCode() {
    return Objects.hash(name, datatype, shape, data, Arrays.hashCode(raw));
  }

  /** Name, datatype and shape, and the size of the data: never the elements themselves. */
  @Override
  public String toString() {
    return "Tensor["
        + name
        + " "
        + datatype
        + shape
        + (raw == null ? ", " + data.size() + " elements" : ", " + raw.length + " raw bytes")
        + "]";
  }
}
