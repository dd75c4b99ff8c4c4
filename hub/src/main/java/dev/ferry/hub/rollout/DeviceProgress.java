package dev.ferry.hub.rollout;

/** Where one device stands in a rollout. */
public enum DeviceProgress {
  /** In a wave not started yet. */
  WAITING,
  /** Its desired state names the release; it has not reported the outcome yet. */
  ASSIGNED,
  /** It serves the release. */
  ACTIVE,
  /** It could not install the release (its reason is kept). */
  FAILED,
  /** It installed the release and rolled back on its own in probation. */
  ROLLED_BACK,
  /** A newer rollout of the same model took the device. */
  SUPERSEDED,
  /** The rollout's rollback sent it back to its previous release. */
  REVERTED,
  /** The device was revoked before the rollout reached it: nothing reaches it any more. */
  REVOKED;

  /** Out of the rollout's play: not counted in its wave's size. */
  boolean gone() {
    return this == SUPERSEDED || this == REVERTED || this == REVOKED;
  }

  /** Counted against a wave's error threshold. */
  boolean failed() {
    return this == FAILED || this == ROLLED_BACK;
  }

  /** The rollout changed the device's desired state (a rollback sends these back). */
  boolean touched() {
    return this == ASSIGNED || this == ACTIVE || this == FAILED || this == ROLLED_BACK;
  }
}
