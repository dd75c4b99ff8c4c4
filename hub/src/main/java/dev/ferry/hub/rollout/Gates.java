package dev.ferry.hub.rollout;

import dev.ferry.hub.telemetry.RolloutMetrics.ServedOn;
import dev.ferry.hub.telemetry.RolloutMetrics.Totals;
import dev.ferry.protocol.device.LatencyHistogram;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

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

  /**
   * Judges like with like: each execution provider the new version served on with at least {@code
   * minRequests} is judged on its own, against the previous version on that provider (a device
   * serves the variant that fits its best provider, so the provider names the variant); the first
   * breach counts. While no provider has enough requests, all are judged together.
   *
   * @param gates the gates
   * @param version the new version
   * @param served what the devices served, by version and provider
   * @return the verdict
   */
  static Verdict judge(Strategy.Gates gates, String version, Map<ServedOn, Totals> served) {
    Map<String, Map<String, Totals>> byProvider = byProvider(served);
    List<String> judged =
        byProvider.keySet().stream()
            .filter(p -> candidate(byProvider.get(p), version).requests() >= gates.minRequests())
            .sorted()
            .toList();
    if (judged.isEmpty()) {
      return judge(gates, version, merged(byProvider), version);
    }
    for (String provider : judged) {
      String named = byProvider.size() > 1 ? version + " on " + provider : version;
      Verdict verdict = judge(gates, version, byProvider.get(provider), named);
      if (verdict.breach() != null) {
        return verdict;
      }
    }
    return new Verdict(null, null);
  }

  private static Verdict judge(
      Strategy.Gates gates, String version, Map<String, Totals> totals, String named) {
    Totals candidate = candidate(totals, version);
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
    String breach = errorBreach(gates, named, candidate, comparable ? previous : NONE);
    if (breach == null && comparable) {
      breach = latencyBreach(gates, named, candidate, previous);
    }
    return new Verdict(null, breach);
  }

  private static Totals candidate(Map<String, Totals> totals, String version) {
    return totals.getOrDefault(version, NONE);
  }

  private static Map<String, Map<String, Totals>> byProvider(Map<ServedOn, Totals> served) {
    Map<String, Map<String, Totals>> byProvider = new TreeMap<>();
    served.forEach(
        (on, totals) ->
            byProvider
                .computeIfAbsent(on.provider(), p -> new HashMap<>())
                .put(on.version(), totals));
    return byProvider;
  }

  /** Every provider's totals summed per version. */
  private static Map<String, Totals> merged(Map<String, Map<String, Totals>> byProvider) {
    Map<String, Totals> merged = new HashMap<>();
    byProvider.values().forEach(totals -> totals.forEach((v, t) -> merged.merge(v, t, Gates::sum)));
    return merged;
  }

  private static Totals sum(Totals a, Totals b) {
    return new Totals(
        a.requests() + b.requests(), a.errors() + b.errors(), a.latency().plus(b.latency()));
  }

  /** The totals of every version but the candidate. */
  private static Totals others(String version, Map<String, Totals> totals) {
    Totals sum = NONE;
    for (var entry : totals.entrySet()) {
      if (!entry.getKey().equals(version)) {
        sum = sum(sum, entry.getValue());
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
