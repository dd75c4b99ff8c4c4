package dev.ferry.onnx;

import dev.ferry.protocol.release.Datatype;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;

/**
 * The values each datatype's elements may take, and the conversion of JSON element values (as a
 * protocol {@code Tensor} holds them) to and from the primitive arrays of {@link ArrayTensor}.
 */
public final class Elements {
  private Elements() {}

  /**
   * The largest magnitude a float datatype holds: 65504 for FP16, the float's for FP32 and BF16.
   */
  public static double maxMagnitude(Datatype datatype) {
    return switch (datatype) {
      case FP16 -> 65504;
      case FP64 -> Double.MAX_VALUE;
      default -> Float.MAX_VALUE;
    };
  }

  /** Whether a whole number lies in an integer datatype's range. */
  public static boolean fitsWhole(long value, Datatype datatype) {
    return value >= datatype.minWhole() && value <= datatype.maxWhole();
  }

  /** A decimal as a long, or null when it is not whole or a long cannot hold it. */
  public static Long exactLong(BigDecimal decimal) {
    try {
      return decimal.longValueExact();
    } catch (ArithmeticException notWholeOrTooBig) {
      return null;
    }
  }

  /**
   * A whole number within the range of an integer datatype; 2.0 counts as whole, as JSON does not
   * tell.
   *
   * @param element a JSON number
   * @param where the element, for the message: {@code "input 'x' data[2]"}
   * @throws ElementOutOfRangeException if it is not whole or out of range
   */
  public static long whole(Object element, Datatype datatype, String where) {
    Long value = exactLong((Number) element);
    if (value == null || !fitsWhole(value, datatype)) {
      throw new ElementOutOfRangeException(
          where
              + " must be a whole number in "
              + datatype.wholeRange()
              + " for "
              + datatype
              + ", got "
              + element);
    }
    return value;
  }

  /**
   * A float within the range of FP32, FP16 or BF16.
   *
   * @param element a JSON number
   * @param where the element, for the message: {@code "input 'x' data[2]"}
   * @throws ElementOutOfRangeException if it is not finite or out of range
   */
  public static float single(Object element, Datatype datatype, String where) {
    double value = ((Number) element).doubleValue();
    double max = maxMagnitude(datatype);
    if (!(Math.abs(value) <= max)) {
      throw new ElementOutOfRangeException(
          where
              + " must be a finite number within ±"
              + max
              + " for "
              + datatype
              + ", got "
              + element);
    }
    return (float) value;
  }

  /**
   * An integer as JSON decoding yields it (Integer when it fits, else Long), so that values compare
   * equal after a round trip.
   */
  public static Number integral(long value) {
    if (value == (int) value) {
      return Integer.valueOf((int) value);
    }
    return Long.valueOf(value);
  }

  /** JSON element values into the array for the datatype, each checked ({@link ArrayTensor#of}). */
  static Object toArray(List<Object> data, Datatype datatype, String where) {
    return switch (datatype) {
      case FP32, FP16, BF16 -> floats(data, datatype, where);
      case FP64 -> doubles(data);
      case BOOL, INT8, UINT8 -> bytes(data, datatype, where);
      case INT16 -> shorts(data, datatype, where);
      case INT32 -> ints(data, datatype, where);
      case INT64 -> longs(data, datatype, where);
      case BYTES -> data.stream().map(String.class::cast).toArray(String[]::new);
      default -> throw new IllegalArgumentException(ArrayTensor.unsupported(datatype));
    };
  }

  /** The elements as JSON decoding yields them: floats as the doubles they exactly are. */
  static List<Object> toList(ArrayTensor tensor) {
    List<Object> list = new ArrayList<>(tensor.size());
    for (int i = 0; i < tensor.size(); i++) {
      list.add(jsonValue(tensor, i));
    }
    return list;
  }

  private static Object jsonValue(ArrayTensor tensor, int i) {
    Object element = tensor.element(i);
    return switch (tensor.datatype()) {
      case FP32, FP16, BF16 -> (double) (Float) element;
      case FP64, BOOL, BYTES -> element;
      default -> integral((Long) element);
    };
  }

  private static Long exactLong(Number number) {
    if (number instanceof Integer
        || number instanceof Long
        || number instanceof Short
        || number instanceof Byte) {
      return number.longValue();
    }
    try {
      return exactLong(
          number instanceof BigDecimal d
              ? d
              : number instanceof BigInteger i
                  ? new BigDecimal(i)
                  : new BigDecimal(number.toString()));
    } catch (NumberFormatException notFinite) {
      return null;
    }
  }

  private static String at(String where, int index) {
    return where + " data[" + index + "]";
  }

  private static float[] floats(List<Object> data, Datatype datatype, String where) {
    float[] array = new float[data.size()];
    for (int i = 0; i < array.length; i++) {
      array[i] = single(data.get(i), datatype, at(where, i));
    }
    return array;
  }

  private static double[] doubles(List<Object> data) {
    double[] array = new double[data.size()];
    for (int i = 0; i < array.length; i++) {
      array[i] = ((Number) data.get(i)).doubleValue();
    }
    return array;
  }

  private static byte[] bytes(List<Object> data, Datatype datatype, String where) {
    byte[] array = new byte[data.size()];
    for (int i = 0; i < array.length; i++) {
      Object element = data.get(i);
      array[i] =
          element instanceof Boolean bool
              ? (byte) (bool ? 1 : 0)
              : (byte) whole(element, datatype, at(where, i));
    }
    return array;
  }

  private static short[] shorts(List<Object> data, Datatype datatype, String where) {
    short[] array = new short[data.size()];
    for (int i = 0; i < array.length; i++) {
      array[i] = (short) whole(data.get(i), datatype, at(where, i));
    }
    return array;
  }

  private static int[] ints(List<Object> data, Datatype datatype, String where) {
    int[] array = new int[data.size()];
    for (int i = 0; i < array.length; i++) {
      array[i] = (int) whole(data.get(i), datatype, at(where, i));
    }
    return array;
  }

  private static long[] longs(List<Object> data, Datatype datatype, String where) {
    long[] array = new long[data.size()];
    for (int i = 0; i < array.length; i++) {
      array[i] = whole(data.get(i), datatype, at(where, i));
    }
    return array;
  }
}
