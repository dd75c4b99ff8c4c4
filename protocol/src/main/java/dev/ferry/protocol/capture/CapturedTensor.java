package dev.ferry.protocol.capture;

import dev.ferry.protocol.json.FieldException;
import dev.ferry.protocol.json.Fields;
import dev.ferry.protocol.release.Datatype;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * One tensor of a captured request: its elements as little-endian bytes, row-major, exactly as a
 * NumPy {@code .npy} file holds them. FP16 and BF16 tensors are captured widened to FP32.
 *
 * @param name the tensor name
 * @param output true for an output of the model, false for an input
 * @param datatype the element type of {@code data}; one of {@link #CAPTURABLE}
 * @param shape the dimensions
 * @param data the elements' little-endian bytes (base64 in JSON, written and read without a string
 *     between). The array itself, not a copy: read it, do not change it.
 */
public record CapturedTensor(
    String name, boolean output, Datatype datatype, List<Long> shape, byte[] data) {
  /** The datatypes a capture holds (BYTES is not captured). */
  public static final Set<Datatype> CAPTURABLE =
      Set.of(
          Datatype.BOOL,
          Datatype.UINT8,
          Datatype.INT8,
          Datatype.INT16,
          Datatype.INT32,
          Datatype.INT64,
          Datatype.FP32,
          Datatype.FP64);

  /** Checks that the bytes fill the shape exactly. */
  public CapturedTensor {
    Fields.text(name, "name");
    Fields.required(datatype, "datatype");
    if (!CAPTURABLE.contains(datatype)) {
      throw new FieldException("datatype", "must be one of " + CAPTURABLE + ", got " + datatype);
    }
    shape = Fields.list(Fields.required(shape, "shape"), "shape");
    long elements = 1;
    for (int i = 0; i < shape.size(); i++) {
      elements = Math.multiplyExact(elements, Fields.atLeast(shape.get(i), 0, "shape[" + i + "]"));
    }
    long expected = Math.multiplyExact(elements, width(datatype));
    int held = Fields.required(data, "data").length;
    if (held != expected) {
      throw new FieldException(
          "data", "must hold " + expected + " bytes for " + datatype + shape + ", got " + held);
    }
  }

  /**
   * How many bytes the elements take.
   *
   * @return the size in bytes
   */
  public long size() {
    return data.length;
  }

  /**
   * The bytes one element of a capturable datatype takes.
   *
   * @param datatype the datatype
   * @return its width in bytes
   */
  public static int width(Datatype datatype) {
    return switch (datatype) {
      case BOOL, UINT8, INT8 -> 1;
      case INT16 -> 2;
      case INT32, FP32 -> 4;
      default -> 8;
    };
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof CapturedTensor that
        && name.equals(that.name)
        && output == that.output
        && datatype == that.datatype
        && shape.equals(that.shape)
        && Arrays.equals(data, that.data);
  }

  @Override
  public int hashCode() {
    return Objects.hash(name, output, datatype, shape, Arrays.hashCode(data));
  }

  @Override
  public String toString() {
    return (output ? "output " : "input ")
        + name
        + " "
        + datatype
        + shape
        + ", "
        + data.length
        + " bytes";
  }
}
