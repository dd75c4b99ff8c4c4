package dev.ferry.hub.rollout;

import dev.ferry.hub.telemetry.RolloutMetrics.ServedOn;
import dev.ferry.hub.telemetry.RolloutMetrics.Totals;
import java.time.Instant;
import java.util.Map;

/**
 * What the {@link WavePolicy} judges a running wave by.
 *
 * @param version the release the rollout sends
 * @param strategy its strategy
 * @param wave the running wave, from 0
 * @param waves how many waves
 * @param counts the wave's devices by progress
 * @param settledAt when the wave first met its success threshold, or null
 * @param metrics what the rollout's devices served, by version, execution provider and variant
 *     (empty without metric gates)
 */
record WaveFacts(
    String version,
    Strategy strategy,
    int wave,
    int waves,
    Map<DeviceProgress, Integer> counts,
    Instant settledAt,
    Map<ServedOn, Totals> metrics) {

  /** The facts of a rollout's running wave. */
  static WaveFacts of(
      RolloutRow r, Map<DeviceProgress, Integer> counts, Map<ServedOn, Totals> metrics) {
    return new WaveFacts(
        r.version(),
        r.strategy(),
        r.wave(),
        r.waves(),
        counts,
        r.status().waveSettledAt(),
        metrics);
  }

  /** The wave's devices still in play: those neither superseded, reverted nor revoked. */
  int total() {
    return sum(p -> !p.gone());
  }

  /** The wave's devices counted against its error threshold. */
  int failed() {
    return sum(DeviceProgress::failed);
  }

  /** The wave's devices serving the release. */
  int active() {
    return counts.getOrDefault(DeviceProgress.ACTIVE, 0);
  }

  boolean lastWave() {
    return wave >= waves - 1;
  }

  /** How the wave is named in reasons: {@code wave 2 of 3}. */
  String name() {
    return "wave " + (wave + 1) + " of " + waves;
  }

  private int sum(java.util.function.Predicate<DeviceProgress> which) {
    return counts.entrySet().stream()
        .filter(e -> which.test(e.getKey()))
        .mapToInt(Map.Entry::getValue)
        .sum();
  }
}
