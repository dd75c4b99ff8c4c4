package dev.ferry.hub.rollout;

import dev.ferry.hub.telemetry.RolloutMetrics.Totals;
import dev.ferry.protocol.device.LatencyHistogram;
import java.util.Locale;
import java.util.Map;

/**
 * Judges a rollout's new version against the previous one on the same devices, from what they
 * served while the rollout ran.
 */
final class Gates {
  private Gates() {}

  /**
   * The verdict: wait (not enough requests yet), a breach, or a pass (both null).
   *
   * @param waiting what the judgement waits for, or null
   * @param breach the gate that tripped and by how much, or null
   */
  record Verdict(String waiting, String breach) {}

  static Verdict judge(Strategy.Gates gates, String version, Map<String, Totals> totals) {
    Totals candidate = totals.getOrDefault(version, new Totals(0, 0, LatencyHistogram.empty()));
    long requests = 0;
    long errors = 0;
    LatencyHistogram latency = LatencyHistogram.empty();
    for (var entry : totals.entrySet()) {
      if (!entry.getKey().equals(version)) {
        requests += entry.getValue().requests();
        errors += entry.getValue().errors();
        latency = latency.plus(entry.getValue().latency());
      }
    }
    Totals previous = new Totals(requests, errors, latency);
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
    boolean comparable = previous.requests() >= gates.minRequests();
    if (gates.maxErrorRateIncrease() != null) {
      // without enough traffic on the previous version, the new one is held to the increase alone
      double base = comparable ? previous.errorRate() : 0;
      if (candidate.errorRate() > base + gates.maxErrorRateIncrease()) {
        return new Verdict(
            null,
            String.format(
                Locale.ROOT,
                "error rate of %s is %.2f%% (%d of %d requests), the previous version's %.2f%%"
                    + " on the same devices; at most %.2f points more are allowed",
                version,
                100 * candidate.errorRate(),
                candidate.errors(),
                candidate.requests(),
                100 * base,
                100 * gates.maxErrorRateIncrease()));
      }
    }
    if (gates.maxLatencyP99Ratio() != null && comparable) {
      double now = candidate.latency().quantileMillis(0.99);
      double before = previous.latency().quantileMillis(0.99);
      if (now > before * gates.maxLatencyP99Ratio()) {
        return new Verdict(
            null,
            String.format(
                Locale.ROOT,
                "p99 latency of %s is %.1f ms, the previous version's %.1f ms on the same devices;"
                    + " at most %.2f times that is allowed",
                version,
                now,
                before,
                gates.maxLatencyP99Ratio()));
      }
    }
    return new Verdict(null, null);
  }
}
