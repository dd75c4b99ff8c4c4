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
      Fields.atLeast(counts.get(i), 0, "counts[" + i + "]");
    }
  }

  /** The number of requests counted. */
  public long total() {
    return counts.stream().mapToLong(Long::longValue).sum();
  }
}
