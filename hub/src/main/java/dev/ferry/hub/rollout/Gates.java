package dev.ferry.hub.rollout;

import dev.ferry.hub.telemetry.RolloutMetrics.ServedOn;
import dev.ferry.hub.telemetry.RolloutMetrics.Totals;
import dev.ferry.protocol.device.LatencyHistogram;
import java.util.Collection;
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
   * Where a version served: an execution provider and a variant of its release (empty for the
   * default one). Gates judge each on its own.
   */
  private record Group(String provider, String variant) implements Comparable<Group> {
    @Override
    public int compareTo(Group other) {
      int byProvider = provider.compareTo(other.provider);
      return byProvider != 0 ? byProvider : variant.compareTo(other.variant);
    }

    /** How a reason names the version served here; the provider only where there are several. */
    String name(String version, boolean several) {
      String named = variant.isEmpty() ? version : version + " variant " + variant;
      return several ? named + " on " + provider : named;
    }
  }

  /**
   * Judges like with like: each (execution provider, variant) the new version served on with at
   * least {@code minRequests} is judged on its own, so that a worse variant cannot hide behind a
   * better one on the same provider; the first breach counts. Each is compared with the previous
   * version on the same provider and variant, or, where that served too little (the previous
   * release had other variants, or none), on the same provider. While no group has enough requests,
   * all are judged together.
   *
   * @param gates the gates
   * @param version the new version
   * @param served what the devices served, by version, provider and variant
   * @return the verdict
   */
  static Verdict judge(Strategy.Gates gates, String version, Map<ServedOn, Totals> served) {
    Map<Group, Map<String, Totals>> byGroup = byGroup(served);
    List<Group> judged =
        byGroup.keySet().stream()
            .filter(g -> candidate(byGroup.get(g), version).requests() >= gates.minRequests())
            .toList();
    if (judged.isEmpty()) {
      Map<String, Totals> all = merged(byGroup.values());
      return judge(gates, version, candidate(all, version), others(version, all), version);
    }
    for (Group group : judged) {
      Verdict verdict =
          judge(
              gates,
              version,
              candidate(byGroup.get(group), version),
              previous(gates, version, group, byGroup),
              group.name(version, byGroup.size() > 1));
      if (verdict.breach() != null) {
        return verdict;
      }
    }
    return new Verdict(null, null);
  }

  private static Verdict judge(
      Strategy.Gates gates, String version, Totals candidate, Totals previous, String named) {
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
    String breach = errorBreach(gates, named, candidate, comparable ? previous : NONE);
    if (breach == null && comparable) {
      breach = latencyBreach(gates, named, candidate, previous);
    }
    return new Verdict(null, breach);
  }

  /**
   * What the previous version served on the group's provider and variant, or on its provider when
   * that is too little to compare with.
   */
  private static Totals previous(
      Strategy.Gates gates, String version, Group group, Map<Group, Map<String, Totals>> byGroup) {
    Totals same = others(version, byGroup.get(group));
    if (same.requests() >= gates.minRequests()) {
      return same;
    }
    return others(
        version,
        merged(
            byGroup.entrySet().stream()
                .filter(e -> e.getKey().provider().equals(group.provider()))
                .map(Map.Entry::getValue)
                .toList()));
  }

  private static Totals candidate(Map<String, Totals> totals, String version) {
    return totals.getOrDefault(version, NONE);
  }

  private static Map<Group, Map<String, Totals>> byGroup(Map<ServedOn, Totals> served) {
    Map<Group, Map<String, Totals>> byGroup = new TreeMap<>();
    served.forEach(
        (on, totals) ->
            byGroup
                .computeIfAbsent(new Group(on.provider(), on.variant()), g -> new HashMap<>())
                .put(on.version(), totals));
    return byGroup;
  }

  /** The groups' totals summed per version. */
  private static Map<String, Totals> merged(Collection<Map<String, Totals>> groups) {
    Map<String, Totals> merged = new HashMap<>();
    groups.forEach(totals -> totals.forEach((v, t) -> merged.merge(v, t, Gates::sum)));
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
