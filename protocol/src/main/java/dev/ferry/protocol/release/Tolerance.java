package dev.ferry.protocol.release;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.ferry.protocol.json.FieldException;

/**
 * How far an output may be from the expected one: {@code |actual - expected| <= atol + rtol *
 * |expected|}, as numpy's {@code allclose}.
 *
 * @param atol the absolute tolerance, at least 0
 * @param rtol the relative tolerance, at least 0
 */
public record Tolerance(
    @JsonProperty(required = true) double atol, @JsonProperty(required = true) double rtol) {
  /** The tolerance used for outputs that name none. */
  public static final Tolerance DEFAULT = new Tolerance(1e-4, 1e-3);

  /** Checks that both are finite and not negative. */
  public Tolerance {
    check(atol, "atol");
    check(rtol, "rtol");
  }

  /**
   * Whether a value is close enough to the expected one.
   *
   * @param actual the computed value
   * @param expected the expected value
   * @return true if within tolerance
   */
  public boolean accepts(double actual, double expected) {
    if (Double.isNaN(expected)) {
      return Double.isNaN(actual);
    }
    return Math.abs(actual - expected) <= atol + rtol * Math.abs(expected);
  }

  private static void check(double value, String field) {
    if (!Double.isFinite(value) || value < 0) {
      throw new FieldException(field, "must be a finite number of at least 0, got " + value);
    }
  }
}
