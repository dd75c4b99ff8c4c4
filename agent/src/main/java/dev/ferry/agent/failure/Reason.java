package dev.ferry.agent.failure;

/**
 * Why the agent refused a desired state or could not install a version: one vocabulary for
 * verification, fetching, installing and what the agent reports. Each reason knows the label it
 * carries on the wire ({@code "<label>: <detail>"}, or the bare detail where it has none) and
 * whether trying again later can help.
 */
public enum Reason {
  /** An envelope or a payload is not valid JSON of its schema, or is too large. */
  MALFORMED,
  /** An envelope carries another payload type than its role signs. */
  WRONG_PAYLOAD_TYPE,
  /** The desired state is not signed by the hub role (unknown key or bad signature). */
  UNTRUSTED_SIGNATURE,
  /** The desired state is for another device. */
  WRONG_DEVICE,
  /** The accepted desired state delivered again; harmless, to be ignored quietly. */
  DUPLICATE,
  /** The desired sequence is not above the accepted one. */
  REPLAYED_SEQUENCE,
  /** The desired state has expired (freeze). */
  EXPIRED,
  /** The trust root the device holds has expired: nothing it vouches for is accepted. */
  ROOT_EXPIRED,
  /** A release statement is not signed by the release role, role confusion included. */
  UNTRUSTED_RELEASE,
  /** A release statement is about another model. */
  WRONG_MODEL,
  /**
   * A manifest is not the one the release statement signs: the assignment names another digest, or
   * the fetched bytes hash to another.
   */
  MANIFEST_MISMATCH,
  /**
   * A release's releaseSeq is lower than the installed one, or another artifact's is not above it.
   */
  RELEASE_ROLLBACK,
  /** A release statement's {@code expiresAt} has passed. */
  RELEASE_EXPIRED,
  /** A release is on the signed revocation list: withdrawn by the release manager. */
  REVOKED,
  /** A blob does not hash to its descriptor's digest. */
  BLOB_MISMATCH,
  /** A blob is longer than its descriptor says. */
  BLOB_TOO_LARGE,
  /** No data arrived within the idle timeout, every try. */
  STALLED(true),
  /** The manifest is not a Ferry model artifact. */
  INVALID_ARTIFACT,
  /** The registry could not be reached or failed, every try. */
  UNAVAILABLE(true),
  /** The artifact's serving.json or golden.json is not the layer the release statement signs. */
  UNSIGNED_LAYER(""),
  /** serving.json or golden.json does not decode, or describes another model. */
  INVALID_MODEL_FILE(""),
  /** The version does not load, does not fit serving.json, or fails its golden vectors. */
  VERSION_REJECTED(""),
  /** Probation swapped the version back to its fallback. */
  ROLLED_BACK,
  /** The cache's file system has less free space than the missing layers need; retried later. */
  DISK_FULL(true),
  /** The local cache could not be read or written, or a cached file was altered. */
  CACHE("cache", true),
  /** The install was interrupted (the agent is stopping). */
  INTERRUPTED("", true),
  /**
   * An install or a prefetch stopped waiting for its download because a newer desired state came:
   * the download goes on, and what that state still assigns or prefetches is tried again once it is
   * applied.
   */
  DEFERRED(true),
  /** A defect in the agent, not in the version: logged, and the install is tried again later. */
  INTERNAL_ERROR(true);

  private final String label;
  private final boolean retryable;

  Reason() {
    this(false);
  }

  Reason(boolean retryable) {
    this.label = name();
    this.retryable = retryable;
  }

  Reason(String label) {
    this(label, false);
  }

  Reason(String label, boolean retryable) {
    this.label = label;
    this.retryable = retryable;
  }

  /** The label before the detail on the wire; empty where the detail stands alone. */
  public String label() {
    return label;
  }

  /**
   * Whether trying later can help: a version that failed for this reason is not failed for good.
   */
  public boolean retryable() {
    return retryable;
  }
}
