package dev.ferry.protocol.api;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One wave of a {@link Rollout}.
 *
 * @param wave its number, from 1
 * @param devices how many devices it has
 * @param progress how many of its devices are in each {@link DeviceInRollout#state()}
 */
public record WaveProgress(int wave, int devices, Map<String, Integer> progress) {
  /** Copies the counts, keeping the order of the states. */
  public WaveProgress {
    progress = progress == null ? null : Collections.unmodifiableMap(new LinkedHashMap<>(progress));
  }
}
