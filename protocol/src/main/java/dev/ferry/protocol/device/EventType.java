package dev.ferry.protocol.device;

/** The kinds of update events an agent reports. */
public enum EventType {
  /** A desired state was verified and accepted. */
  DESIRED_ACCEPTED,
  /** A desired state was rejected; the reason says which rule it broke. */
  DESIRED_REJECTED,
  /** Download progress of a model artifact (throttled). */
  DOWNLOAD_PROGRESS,
  /** The artifact's digests and the release signature were verified. */
  VERIFIED,
  /**
   * A release the desired state prefetches is in the cache, its digests and signature verified; it
   * serves only once a desired state assigns it.
   */
  PREFETCHED,
  /** The new version passed its I/O and golden-vector checks. */
  VALIDATED,
  /** The new version serves. */
  ACTIVATED,
  /** The new version breached probation and the fallback serves again. */
  ROLLED_BACK,
  /** Installing a version failed; the reason says why. */
  FAILED,
  /** The agent walked the hub's chain to a newer trust root; the detail names its version. */
  TRUST_ROOT_ACCEPTED,
  /** The agent refused the hub's chain of trust roots; the detail says which rule it broke. */
  TRUST_ROOT_REFUSED,
  /**
   * A revoked version was withdrawn from service (the fallback serves, or the model stops) or
   * refused; the reason names the revocation.
   */
  REVOKED,
  /**
   * The agent has not seen a fresh, correctly signed desired state for longer than it waits (a
   * warning: it keeps serving).
   */
  STALE,
  /**
   * An execution provider the device prefers cannot be used here (not in its ONNX Runtime build, or
   * it failed to initialise at start); the reason names the provider and why. Sent once per start.
   */
  PROVIDER_UNUSABLE
}
