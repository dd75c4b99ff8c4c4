package dev.ferry.hub.rollout;

/** Where a rollout stands. */
public enum RolloutState {
  /** Waiting for its start time. */
  CREATED,
  /** A wave is under way. */
  RUNNING,
  /** Stopped by an operator, an error threshold, a metric gate, or at a wave's end. */
  PAUSED,
  /** Every wave met its success threshold (devices that join later still receive it). */
  SUCCEEDED,
  /** Stopped for good by an error threshold with {@code onError: fail}. */
  FAILED,
  /** Every device it touched was sent back to its previous release. */
  ROLLED_BACK,
  /** Stopped by an operator; devices keep what they have. */
  CANCELLED;

  /** Whether the engine still looks at it: starts, waves, devices that join later. */
  boolean live() {
    return this == CREATED || this == RUNNING || this == PAUSED || this == SUCCEEDED;
  }
}
