package dev.ferry.protocol.api;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * How a rollout proceeds. In a request every field is optional: one wave of every device, success
 * when all are ACTIVE, pause on the first failure, no metric gates, advance automatically, start
 * now, no prefetch. In a {@link Rollout} the hub returns it with those defaults filled in.
 *
 * @param waves cumulative wave ends, each a count ({@code "5"}) or a share of the selected devices
 *     ({@code "10%"}); the last wave always takes the rest; a canary is the first wave
 * @param successThreshold share of a wave ACTIVE before the next starts, 0 to 1
 * @param errorThreshold share of a wave FAILED or ROLLED_BACK above which {@code onError} acts
 * @param onError {@code pause}, {@code rollback} or {@code fail}
 * @param metricGates how the new version must behave against the previous one, or null
 * @param probationSeconds how long a wave's devices serve before its gates are judged, at most a
 *     week
 * @param autoAdvance start the next wave by itself; false waits for a resume after every wave
 * @param startAt when the first wave starts, or null for now
 * @param prefetch send the release to the devices of later waves as a prefetch when the rollout
 *     starts, so that they fetch it ahead and their swap loads from the cache; default false
 */
public record RolloutStrategy(
    List<String> waves,
    Double successThreshold,
    Double errorThreshold,
    String onError,
    MetricGates metricGates,
    Long probationSeconds,
    Boolean autoAdvance,
    Instant startAt,
    Boolean prefetch) {
  /** Copies the wave list, keeping a null entry for the hub to name. */
  public RolloutStrategy {
    waves = waves == null ? null : Collections.unmodifiableList(new ArrayList<>(waves));
  }
}
