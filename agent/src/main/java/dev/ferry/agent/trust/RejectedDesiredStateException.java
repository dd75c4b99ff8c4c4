package dev.ferry.agent.trust;

/** A desired state broke a signing rule; the agent keeps serving what it has and reports why. */
public final class RejectedDesiredStateException extends SecurityException {
  private static final long serialVersionUID = 1L;

  /** Which rule was broken, machine-readable for reports and events. */
  public enum Reason {
    /** The envelope or a payload is not valid JSON of its schema, or is too large. */
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
    /** A release statement is not signed by the release role, role confusion included. */
    UNTRUSTED_RELEASE,
    /** A release statement is about another model. */
    WRONG_MODEL,
    /** An assignment's manifest digest is not the release statement's subject. */
    MANIFEST_MISMATCH,
    /** A release's releaseSeq is lower than the installed one. */
    RELEASE_ROLLBACK
  }

  private final Reason reason;

  /**
   * Creates the exception.
   *
   * @param reason the broken rule
   * @param message what was wrong, naming the values
   */
  public RejectedDesiredStateException(Reason reason, String message) {
    super(message);
    this.reason = reason;
  }

  /** The broken rule. */
  public Reason reason() {
    return reason;
  }
}
