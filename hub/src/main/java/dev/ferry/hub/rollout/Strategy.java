package dev.ferry.hub.rollout;

import dev.ferry.protocol.api.MetricGates;
import dev.ferry.protocol.api.RolloutStrategy;
import dev.ferry.protocol.json.FieldException;
import dev.ferry.protocol.json.Fields;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * How a rollout proceeds, checked and with its defaults applied; {@link #from} makes one from the
 * request's {@link RolloutStrategy}.
 *
 * @param waves cumulative wave ends, each a count ({@code "5"}) or a share ({@code "10%"}), each
 *     beyond the one before
 * @param successThreshold share of a wave ACTIVE before the next starts, 0 to 1
 * @param errorThreshold share of a wave FAILED or ROLLED_BACK above which {@link #onError} acts
 * @param onError what a wave past its error threshold or a tripped gate does
 * @param metricGates how the new version must behave against the previous one, or null for none
 * @param probationSeconds how long a wave's devices serve before its gates are judged
 * @param autoAdvance start the next wave by itself; false waits for a resume after every wave
 * @param startAt when the first wave starts, or null for now
 * @param prefetch send the release to the devices of later waves as a prefetch when the rollout
 *     starts
 */
record Strategy(
    List<String> waves,
    double successThreshold,
    double errorThreshold,
    OnError onError,
    Gates metricGates,
    long probationSeconds,
    boolean autoAdvance,
    Instant startAt,
    boolean prefetch) {
  private static final long MAX_PROBATION_SECONDS = 7 * 24 * 3600;
  private static final List<String> ONE_WAVE = List.of("100%");

  /** Checks every field, naming it as the request does ({@code strategy.waves[1]}). */
  Strategy {
    waves = checkWaves(waves);
    checkShare(successThreshold, "strategy.successThreshold");
    checkShare(errorThreshold, "strategy.errorThreshold");
    Fields.required(onError, "strategy.onError");
    checkProbation(probationSeconds);
  }

  /** What happens when a wave's failures pass the error threshold or a metric gate trips. */
  enum OnError {
    /** The rollout pauses; a resume goes on with the next wave. */
    PAUSE,
    /** Every device the rollout touched goes back to its previous release. */
    ROLLBACK,
    /** The rollout stops as FAILED; devices keep what they have. */
    FAIL;

    static OnError parse(String value) {
      if (value == null) {
        return PAUSE;
      }
      try {
        return valueOf(value.toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new FieldException(
            "strategy.onError", "must be pause, rollback or fail, got " + Fields.show(value));
      }
    }

    String wire() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /**
   * Every device in one wave, success when all are ACTIVE, pause on a failure, start now, no
   * prefetch.
   */
  static Strategy defaults() {
    return new Strategy(ONE_WAVE, 1.0, 0.0, OnError.PAUSE, null, 0, true, null, false);
  }

  /**
   * The checked strategy of a request, defaults filled in.
   *
   * @param wire the request's strategy, or null for the defaults
   * @throws FieldException naming the field ({@code strategy.waves[1]}) and the value
   */
  static Strategy from(RolloutStrategy wire) {
    if (wire == null) {
      return defaults();
    }
    return new Strategy(
        wire.waves() == null || wire.waves().isEmpty() ? ONE_WAVE : wire.waves(),
        orElse(wire.successThreshold(), 1.0),
        orElse(wire.errorThreshold(), 0.0),
        OnError.parse(wire.onError()),
        wire.metricGates() == null ? null : Gates.from(wire.metricGates()),
        wire.probationSeconds() == null ? 0 : wire.probationSeconds(),
        wire.autoAdvance() == null || wire.autoAdvance(),
        wire.startAt(),
        Boolean.TRUE.equals(wire.prefetch()));
  }

  /** The strategy as the API shows it (and the store keeps it). */
  RolloutStrategy toWire() {
    return new RolloutStrategy(
        waves,
        successThreshold,
        errorThreshold,
        onError.wire(),
        metricGates == null ? null : metricGates.toWire(),
        probationSeconds,
        autoAdvance,
        startAt,
        prefetch);
  }

  /**
   * The wave ends for a number of devices: cumulative, increasing, the last one all of them.
   *
   * @param devices how many devices the rollout selected
   * @return the end (exclusive) of each non-empty wave, in order
   */
  List<Integer> waveEnds(int devices) {
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

  private static List<String> checkWaves(List<String> waves) {
    if (waves.isEmpty()) {
      throw new FieldException("strategy.waves", "must name at least one wave");
    }
    WaveSize last = null;
    for (int i = 0; i < waves.size(); i++) {
      String field = "strategy.waves[" + i + "]";
      WaveSize size = WaveSize.parse(waves.get(i), field);
      if (last != null && !size.beyond(last)) {
        throw new FieldException(
            field, "must reach beyond the wave before it, got " + Fields.show(waves.get(i)));
      }
      last = size;
    }
    return List.copyOf(waves);
  }

  private static void checkShare(double value, String field) {
    if (!(value >= 0 && value <= 1)) {
      throw new FieldException(field, "must be between 0 and 1, got " + value);
    }
  }

  /** A probation of at most a week: beyond, an instant computed from it could overflow. */
  private static void checkProbation(long seconds) {
    Fields.atLeast(seconds, 0, "strategy.probationSeconds");
    if (seconds > MAX_PROBATION_SECONDS) {
      throw new FieldException(
          "strategy.probationSeconds",
          "must be at most " + MAX_PROBATION_SECONDS + " (a week), got " + seconds);
    }
  }

  private static double orElse(Double value, double fallback) {
    return value == null ? fallback : value;
  }

  /**
   * Checked metric gates.
   *
   * @param maxErrorRateIncrease the new error rate may exceed the previous one by at most this (an
   *     absolute share), or null for no error gate
   * @param maxLatencyP99Ratio the new p99 latency may be at most this multiple of the previous one,
   *     or null for no latency gate
   * @param minRequests requests the new version must have served before it is judged
   */
  record Gates(Double maxErrorRateIncrease, Double maxLatencyP99Ratio, long minRequests) {
    private static final long MIN_REQUESTS = 100;

    /** Checks that a gate is set and every value is in its range. */
    Gates {
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
      Fields.atLeast(minRequests, 1, "strategy.metricGates.minRequests");
    }

    static Gates from(MetricGates wire) {
      return new Gates(
          wire.maxErrorRateIncrease(),
          wire.maxLatencyP99Ratio(),
          wire.minRequests() == null ? MIN_REQUESTS : wire.minRequests());
    }

    MetricGates toWire() {
      return new MetricGates(maxErrorRateIncrease, maxLatencyP99Ratio, minRequests);
    }
  }
}
