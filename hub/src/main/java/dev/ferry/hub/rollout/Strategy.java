package dev.ferry.hub.rollout;

import dev.ferry.protocol.json.FieldException;
import dev.ferry.protocol.json.Fields;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * How a rollout proceeds. Every field is optional; {@link #complete()} fills in the defaults: one
 * wave of every device, success when all are ACTIVE, pause on the first failure, no metric gates,
 * advance automatically, start now.
 *
 * @param waves cumulative wave ends, each a count ({@code "5"}) or a share of the selected devices
 *     ({@code "10%"}); the last wave always takes the rest; a canary is the first wave
 * @param successThreshold share of a wave ACTIVE before the next starts, 0 to 1
 * @param errorThreshold share of a wave FAILED or ROLLED_BACK above which {@link #onError} acts
 * @param onError {@code pause}, {@code rollback} or {@code fail}
 * @param metricGates how the new version must behave against the previous one, or null
 * @param probationSeconds how long a wave's devices serve before its gates are judged
 * @param autoAdvance start the next wave by itself; false waits for a resume after every wave
 * @param startAt when the first wave starts, or null for now
 */
public record Strategy(
    List<String> waves,
    Double successThreshold,
    Double errorThreshold,
    String onError,
    MetricGates metricGates,
    Long probationSeconds,
    Boolean autoAdvance,
    Instant startAt) {
  private static final long MAX_PROBATION_SECONDS = 7 * 24 * 3600;

  /** What happens when a wave's failures pass the error threshold or a metric gate trips. */
  public enum OnError {
    /** The rollout pauses; a resume goes on with the next wave. */
    PAUSE,
    /** Every device the rollout touched goes back to its previous release. */
    ROLLBACK,
    /** The rollout stops as FAILED; devices keep what they have. */
    FAIL
  }

  /**
   * The strategy with defaults filled in and every field checked.
   *
   * @return the complete strategy
   * @throws FieldException naming the field ({@code strategy.waves[1]}) and the value
   */
  public Strategy complete() {
    List<String> ends = waves == null || waves.isEmpty() ? List.of("100%") : waves;
    WaveSize last = null;
    for (int i = 0; i < ends.size(); i++) {
      String field = "strategy.waves[" + i + "]";
      WaveSize size = WaveSize.parse(ends.get(i), field);
      if (last != null && !size.beyond(last)) {
        throw new FieldException(
            field, "must reach beyond the wave before it, got " + Fields.show(ends.get(i)));
      }
      last = size;
    }
    return new Strategy(
        List.copyOf(ends),
        share(successThreshold, 1.0, "strategy.successThreshold"),
        share(errorThreshold, 0.0, "strategy.errorThreshold"),
        action(onError).name().toLowerCase(Locale.ROOT),
        metricGates == null ? null : metricGates.complete(),
        probation(probationSeconds),
        autoAdvance == null || autoAdvance,
        startAt);
  }

  /** The error action; call on a {@link #complete()} strategy. */
  public OnError action() {
    return action(onError);
  }

  /**
   * The wave ends for a number of devices: cumulative, increasing, the last one all of them.
   *
   * @param devices how many devices the rollout selected
   * @return the end (exclusive) of each non-empty wave, in order
   */
  public List<Integer> waveEnds(int devices) {
    List<Integer> ends = new ArrayList<>();
    for (String wave : waves) {
      int end = Math.min(devices, WaveSize.parse(wave, "wave").of(devices));
      if (end > (ends.isEmpty() ? 0 : ends.get(ends.size() - 1))) {
        ends.add(end);
      }
    }
    if (ends.isEmpty() || ends.get(ends.size() - 1) < devices) {
      ends.add(devices);
    }
    return ends;
  }

  /** A probation of at most a week: beyond, an instant computed from it could overflow. */
  private static long probation(Long seconds) {
    if (seconds == null) {
      return 0L;
    }
    Fields.atLeast(seconds, 0, "strategy.probationSeconds");
    if (seconds > MAX_PROBATION_SECONDS) {
      throw new FieldException(
          "strategy.probationSeconds",
          "must be at most " + MAX_PROBATION_SECONDS + " (a week), got " + seconds);
    }
    return seconds;
  }

  private static OnError action(String value) {
    if (value == null) {
      return OnError.PAUSE;
    }
    try {
      return OnError.valueOf(value.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new FieldException(
          "strategy.onError", "must be pause, rollback or fail, got " + Fields.show(value));
    }
  }

  private static double share(Double value, double fallback, String field) {
    if (value == null) {
      return fallback;
    }
    if (!(value >= 0 && value <= 1)) {
      throw new FieldException(field, "must be between 0 and 1, got " + value);
    }
    return value;
  }

  /**
   * Gates on the new version's behaviour against the previous version's on the same devices, from
   * their telemetry while the rollout runs.
   *
   * @param maxErrorRateIncrease the new error rate may exceed the previous one by at most this (an
   *     absolute share, 0.01 = one point), or null for no error gate
   * @param maxLatencyP99Ratio the new p99 latency may be at most this multiple of the previous one,
   *     or null for no latency gate
   * @param minRequests requests the new version must have served before it is judged
   */
  public record MetricGates(
      Double maxErrorRateIncrease, Double maxLatencyP99Ratio, Long minRequests) {
    MetricGates complete() {
      if (maxErrorRateIncrease == null && maxLatencyP99Ratio == null) {
        throw new FieldException(
            "strategy.metricGates", "must set maxErrorRateIncrease or maxLatencyP99Ratio");
      }
      if (maxErrorRateIncrease != null
          && !(maxErrorRateIncrease >= 0 && maxErrorRateIncrease <= 1)) {
        throw new FieldException(
            "strategy.metricGates.maxErrorRateIncrease",
            "must be between 0 and 1, got " + maxErrorRateIncrease);
      }
      if (maxLatencyP99Ratio != null && !(maxLatencyP99Ratio >= 1)) {
        throw new FieldException(
            "strategy.metricGates.maxLatencyP99Ratio",
            "must be at least 1, got " + maxLatencyP99Ratio);
      }
      return new MetricGates(
          maxErrorRateIncrease,
          maxLatencyP99Ratio,
          minRequests == null
              ? 100L
              : Fields.atLeast(minRequests, 1, "strategy.metricGates.minRequests"));
    }
  }
}
