package dev.ferry.protocol.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One wave of a {@link Rollout}.
 *
 * @param wave its number, from 1
 * @param devices how many devices it has
 * @param progress how many of its devices are in each {@link DeviceInRollout#state()}
 * @param prefetched how many of its devices reported the release fetched into their cache ahead of
 *     the wave ({@code PREFETCHED}); null (absent) for a rollout that does not prefetch
 * @param offline how many of its {@code ASSIGNED} devices are not connected to the hub's broker
 *     now: they hold the wave until they reconnect; null (absent) when none is
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record WaveProgress(
    int wave, int devices, Map<String, Integer> progress, Integer prefetched, Integer offline) {
  /** Copies the counts, keeping the order of the states. */
  public WaveProgress {
    progress = progress == null ? null : Collections.unmodifiableMap(new LinkedHashMap<>(progress));
  }

  /**
   * A wave of a rollout that does not prefetch.
   *
   * @param wave its number, from 1
   * @param devices how many devices it has
   * @param progress how many of its devices are in each state
   */
  public WaveProgress(int wave, int devices, Map<String, Integer> progress) {
    this(wave, devices, progress, null, null);
  }
}
