package dev.ferry.protocol.device;

import dev.ferry.protocol.json.FieldException;
import dev.ferry.protocol.json.Fields;
import java.util.List;

/**
 * A latency histogram with fixed bucket bounds: {@code counts[i]} counts requests that took at most
 * {@code boundsMillis[i]} and more than the previous bound; the last count is everything above the
 * last bound. Histograms with equal bounds add up, so the hub can merge them and derive quantiles.
 *
 * @param boundsMillis the upper bounds in milliseconds, strictly increasing
 * @param counts one count per bound plus one for overflow
 */
public record LatencyHistogram(List<Double> boundsMillis, List<Long> counts) {
  /** The bounds agents use, so the hub can add every device's histograms: 0.5 ms to 10 s. */
  public static final List<Double> STANDARD_BOUNDS_MILLIS =
      List.of(
          0.5, 1.0, 2.0, 5.0, 10.0, 20.0, 50.0, 100.0, 200.0, 500.0, 1000.0, 2000.0, 5000.0,
          10000.0);

  /** Checks that bounds increase and counts fit them. */
  public LatencyHistogram {
    boundsMillis = Fields.list(Fields.required(boundsMillis, "boundsMillis"), "boundsMillis");
    counts = Fields.list(Fields.required(counts, "counts"), "counts");
    for (int i = 1; i < boundsMillis.size(); i++) {
      if (!(boundsMillis.get(i) > boundsMillis.get(i - 1))) {
        throw new FieldException(
            "boundsMillis",
            "must increase strictly, got " + boundsMillis.get(i) + " at index " + i);
      }
    }
    if (counts.size() != boundsMillis.size() + 1) {
      throw new FieldException(
          "counts",
          "must have one entry per bound plus one ("
              + (boundsMillis.size() + 1)
              + "), got "
              + counts.size());
    }
    for (int i = 0; i < counts.size(); i++) {
      Fields.count(counts.get(i), "counts[" + i + "]");
    }
  }

  /** The number of requests counted. */
  public long total() {
    return counts.stream().mapToLong(Long::longValue).reduce(0, Math::addExact);
  }

  /** An empty histogram over the standard bounds. */
  public static LatencyHistogram empty() {
    return new LatencyHistogram(
        STANDARD_BOUNDS_MILLIS,
        java.util.Collections.nCopies(STANDARD_BOUNDS_MILLIS.size() + 1, 0L));
  }

  /**
   * The sum of this histogram and another over the same bounds, each count saturating at {@link
   * Fields#MAX_COUNT}.
   *
   * @param other the other histogram
   * @return the sum
   * @throws IllegalArgumentException if the bounds differ
   */
  public LatencyHistogram plus(LatencyHistogram other) {
    if (!boundsMillis.equals(other.boundsMillis)) {
      throw new IllegalArgumentException(
          "histograms over other bounds do not add: "
              + boundsMillis
              + " and "
              + other.boundsMillis);
    }
    List<Long> sum = new java.util.ArrayList<>(counts.size());
    for (int i = 0; i < counts.size(); i++) {
      sum.add(Fields.addCounts(counts.get(i), other.counts.get(i)));
    }
    return new LatencyHistogram(boundsMillis, sum);
  }

  /**
   * An upper estimate of a quantile: the bound of the bucket where the running count reaches it.
   *
   * @param q the quantile, in (0, 1]
   * @return the bound in milliseconds; infinity when it falls above the last bound; NaN when empty
   */
  public double quantileMillis(double q) {
    if (!(q > 0 && q <= 1)) {
      throw new IllegalArgumentException("quantile must be in (0, 1], got " + q);
    }
    long total = total();
    if (total == 0) {
      return Double.NaN;
    }
    long rank = (long) Math.ceil(q * total);
    long seen = 0;
    for (int i = 0; i < boundsMillis.size(); i++) {
      seen += counts.get(i);
      if (seen >= rank) {
        return boundsMillis.get(i);
      }
    }
    return Double.POSITIVE_INFINITY;
  }
}
