package dev.ferry.it.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Medians, quantiles and perf_analyzer's stability rule. */
final class Stats {
  /** perf_analyzer's default: the last three windows within 10% of each other. */
  static final double STABILITY = 0.10;

  private Stats() {}

  static double median(List<Double> values) {
    List<Double> sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    int n = sorted.size();
    return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
  }

  /** The q-quantile of durations in nanoseconds, in milliseconds (nearest rank). */
  static double quantileMillis(List<Long> nanos, double q) {
    if (nanos.isEmpty()) {
      return Double.NaN;
    }
    List<Long> sorted = new ArrayList<>(nanos);
    Collections.sort(sorted);
    int rank = (int) Math.ceil(q * sorted.size()) - 1;
    return sorted.get(Math.max(0, Math.min(sorted.size() - 1, rank))) / 1e6;
  }

  /** Whether the values lie within {@link #STABILITY} of their mean. */
  static boolean stable(List<Double> values) {
    double mean = values.stream().mapToDouble(Double::doubleValue).average().orElse(0);
    return mean > 0 && values.stream().allMatch(v -> Math.abs(v - mean) <= STABILITY * mean);
  }
}
