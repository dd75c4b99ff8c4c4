package dev.ferry.hub.rollout;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A rollout after a change in a transaction, and the desired states the change signed, which the
 * caller publishes after the commit.
 *
 * @param rollout the rollout after
 * @param signed the signed desired states by device
 * @param more whether devices were left for the next chunk of the fan-out ({@link FanOut}): waiting
 *     for the release, or for a prefetch of it to be sent or withdrawn
 */
record Change(RolloutRow rollout, Map<String, DesiredStates.Signed> signed, boolean more) {

  /** A change that leaves no device waiting for another chunk. */
  Change(RolloutRow rollout, Map<String, DesiredStates.Signed> signed) {
    this(rollout, signed, false);
  }

  /** A change that signed nothing. */
  static Change of(RolloutRow rollout) {
    return new Change(rollout, Map.of());
  }

  /** The same change, leaving more for the fan-out's next chunks. */
  Change withMore() {
    return new Change(rollout, signed, true);
  }

  /** The same change, having signed more. */
  Change plus(Map<String, DesiredStates.Signed> more) {
    Map<String, DesiredStates.Signed> all = new LinkedHashMap<>(more);
    all.putAll(signed);
    return new Change(rollout, all, this.more);
  }
}
