package dev.ferry.hub.packaging;

import dev.ferry.protocol.release.Datatype;
import java.math.BigDecimal;
import java.math.BigInteger;

/**
 * Converts JSON tensor elements to the values of an element type, refusing those that do not fit.
 */
final class Elements {
  private Elements() {}

  /** A whole number within the range of an integer datatype. */
  static long whole(Object element, Datatype datatype, String where) {
    Long value = exactLong((Number) element);
    if (value == null || value < datatype.minWhole() || value > datatype.maxWhole()) {
      throw new InvalidGoldenException(
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

  /** A float within the range of FP32, FP16 or BF16. */
  static float single(Object element, Datatype datatype, String where) {
    double value = ((Number) element).doubleValue();
    double max = datatype == Datatype.FP16 ? 65504 : Float.MAX_VALUE;
    if (!(Math.abs(value) <= max)) {
      throw new InvalidGoldenException(
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
   * An integer as JSON decoding yields it (Integer when it fits, else Long), so that golden vectors
   * compare equal after a round trip.
   */
  static Number integral(long value) {
    if (value == (int) value) {
      return Integer.valueOf((int) value);
    }
    return Long.valueOf(value);
  }

  private static Long exactLong(Number number) {
    if (number instanceof Integer
        || number instanceof Long
        || number instanceof Short
        || number instanceof Byte) {
      return number.longValue();
    }
    try {
      BigDecimal decimal =
          number instanceof BigDecimal d
              ? d
              : number instanceof BigInteger i
                  ? new BigDecimal(i)
                  : new BigDecimal(number.toString());
      return decimal.longValueExact();
    } catch (ArithmeticException | NumberFormatException e) {
      return null;
    }
  }
}
