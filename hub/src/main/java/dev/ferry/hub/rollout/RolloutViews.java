package dev.ferry.hub.rollout;

import dev.ferry.hub.telemetry.RolloutMetrics;
import dev.ferry.hub.telemetry.RolloutMetrics.ServedOn;
import dev.ferry.hub.telemetry.RolloutMetrics.Totals;
import dev.ferry.protocol.api.Rollout;
import dev.ferry.protocol.api.ServedMetrics;
import dev.ferry.protocol.api.WaveProgress;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A stored rollout as the API shows it, with its devices' progress and what they served. */
final class RolloutViews {
  private static final Comparator<ServedOn> SERVED_ORDER =
      Comparator.comparing(ServedOn::version)
          .thenComparing(ServedOn::provider)
          .thenComparing(ServedOn::variant);

  private RolloutViews() {}

  /**
   * The rollout's view.
   *
   * @param c the transaction
   * @param r the rollout
   * @param detail with every wave's and device's progress
   */
  static Rollout of(Connection c, RolloutRow r, boolean detail) throws SQLException {
    return of(c, r, detail, detail ? DevicePage.ALL : null);
  }

  /**
   * The rollout's view, with or without its devices: without, it reads no device's report, however
   * many devices the rollout has.
   *
   * @param c the transaction
   * @param r the rollout
   * @param detail with every wave's progress and what the devices served
   * @param devices which devices' progress to list (only with detail); null for none
   */
  static Rollout of(Connection c, RolloutRow r, boolean detail, DevicePage devices)
      throws SQLException {
    List<Map<DeviceProgress, Integer>> perWave = RolloutDeviceStore.counts(c, r.id(), r.waves());
    Map<DeviceProgress, Integer> total = new EnumMap<>(DeviceProgress.class);
    perWave.forEach(counts -> counts.forEach((state, n) -> total.merge(state, n, Integer::sum)));
    return new Rollout(
        r.id(),
        r.model(),
        r.version(),
        r.selector(),
        r.strategy().toWire(),
        r.state().name(),
        r.wave() + 1,
        r.waves(),
        r.status().reason(),
        names(total),
        detail
            ? waves(
                perWave,
                prefetched(c, r, perWave.size()),
                RolloutDeviceStore.offline(c, r.id(), perWave.size()))
            : null,
        detail && devices != null ? RolloutDeviceStore.progress(c, r.id(), devices) : null,
        detail && r.strategy().metricGates() != null ? served(c, r.id()) : null,
        r.plan().interfaceChanges().isEmpty() ? null : r.plan().interfaceChanges(),
        r.plan().createdBy(),
        r.createdAt(),
        r.status().updatedAt());
  }

  /** What the rollout's devices served, per version, provider and variant, as the gates see it. */
  private static List<ServedMetrics> served(Connection c, String rolloutId) throws SQLException {
    return RolloutMetrics.totals(c, rolloutId).entrySet().stream()
        .sorted(Map.Entry.comparingByKey(SERVED_ORDER))
        .map(e -> served(e.getKey(), e.getValue()))
        .toList();
  }

  private static ServedMetrics served(ServedOn on, Totals totals) {
    return ServedMetrics.of(
        on.version(),
        on.provider(),
        on.variantOrNull(),
        totals.requests(),
        totals.errors(),
        totals.latency());
  }

  /** Per wave, how many devices reported the release prefetched; null if it does not prefetch. */
  private static int[] prefetched(Connection c, RolloutRow r, int waves) throws SQLException {
    return r.strategy().prefetch() ? RolloutDeviceStore.prefetched(c, r.id(), waves) : null;
  }

  private static List<WaveProgress> waves(
      List<Map<DeviceProgress, Integer>> perWave, int[] prefetched, int[] offline) {
    List<WaveProgress> waves = new ArrayList<>();
    for (int i = 0; i < perWave.size(); i++) {
      Map<DeviceProgress, Integer> counts = perWave.get(i);
      int devices = counts.values().stream().mapToInt(Integer::intValue).sum();
      Integer fetchedAhead = prefetched == null ? null : prefetched[i];
      Integer away = offline[i] == 0 ? null : offline[i];
      waves.add(new WaveProgress(i + 1, devices, names(counts), fetchedAhead, away));
    }
    return waves;
  }

  /** Counts by state name, in the states' order. */
  private static Map<String, Integer> names(Map<DeviceProgress, Integer> counts) {
    Map<String, Integer> named = new LinkedHashMap<>();
    counts.forEach((state, n) -> named.put(state.name(), n));
    return named;
  }
}
