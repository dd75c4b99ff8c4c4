package dev.ferry.agent.trust;

import dev.ferry.agent.failure.Failure;
import dev.ferry.agent.failure.Reason;

/** A desired state broke a signing rule; the agent keeps serving what it has and reports why. */
public final class RejectedDesiredStateException extends SecurityException {
  private static final long serialVersionUID = 1L;

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

  /** The broken rule and the message, as reported. */
  public Failure failure() {
    return new Failure(reason, getMessage());
  }
}
