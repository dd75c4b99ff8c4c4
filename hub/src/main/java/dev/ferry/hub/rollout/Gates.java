package dev.ferry.hub.rollout;

import dev.ferry.hub.telemetry.RolloutMetrics.Totals;
import dev.ferry.protocol.device.LatencyHistogram;
import java.util.Locale;
import java.util.Map;

/**
 * Judges a rollout's new version against the previous one on the same devices, from what they
 * served while the rollout ran. Pure.
 */
final class Gates {
  private static final Totals NONE = new Totals(0, 0, LatencyHistogram.empty());

  private Gates() {}

  /**
   * The verdict: wait (not enough requests yet), a breach, or a pass (both null).
   *
   * @param waiting what the judgement waits for, or null
   * @param breach the gate that tripped and by how much, or null
   */
  record Verdict(String waiting, String breach) {}

  static Verdict judge(Strategy.Gates gates, String version, Map<String, Totals> totals) {
    Totals candidate = totals.getOrDefault(version, NONE);
    if (candidate.requests() < gates.minRequests()) {
      return new Verdict(
          "metric gates wait for "
              + gates.minRequests()
              + " requests served by "
              + version
              + ", "
              + candidate.requests()
              + " so far",
          null);
    }
    Totals previous = others(version, totals);
    boolean comparable = previous.requests() >= gates.minRequests();
    String breach = errorBreach(gates, version, candidate, comparable ? previous : NONE);
    if (breach == null && comparable) {
      breach = latencyBreach(gates, version, candidate, previous);
    }
    return new Verdict(null, breach);
  }

  /** The totals of every version but the candidate. */
  private static Totals others(String version, Map<String, Totals> totals) {
    Totals sum = NONE;
    for (var entry : totals.entrySet()) {
      if (!entry.getKey().equals(version)) {
        Totals t = entry.getValue();
        sum =
            new Totals(
                sum.requests() + t.requests(),
                sum.errors() + t.errors(),
                sum.latency().plus(t.latency()));
      }
    }
    return sum;
  }

  /**
   * The error gate; without enough traffic on the previous version (given as none), the new one is
   * held to the increase alone.
   */
  private static String errorBreach(
      Strategy.Gates gates, String version, Totals candidate, Totals previous) {
    if (gates.maxErrorRateIncrease() == null
        || candidate.errorRate() <= previous.errorRate() + gates.maxErrorRateIncrease()) {
      return null;
    }
    return String.format(
        Locale.ROOT,
        "error rate of %s is %.2f%% (%d of %d requests), the previous version's %.2f%%"
            + " on the same devices; at most %.2f points more are allowed",
        version,
        100 * candidate.errorRate(),
        candidate.errors(),
        candidate.requests(),
        100 * previous.errorRate(),
        100 * gates.maxErrorRateIncrease());
  }

  private static String latencyBreach(
      Strategy.Gates gates, String version, Totals candidate, Totals previous) {
    if (gates.maxLatencyP99Ratio() == null) {
      return null;
    }
    double now = candidate.latency().quantileMillis(0.99);
    double before = previous.latency().quantileMillis(0.99);
    if (now <= before * gates.maxLatencyP99Ratio()) {
      return null;
    }
    return String.format(
        Locale.ROOT,
        "p99 latency of %s is %.1f ms, the previous version's %.1f ms on the same devices;"
            + " at most %.2f times that is allowed",
        version,
        now,
        before,
        gates.maxLatencyP99Ratio());
  }
}
