package dev.ferry.agent.fetch;

import dev.ferry.agent.failure.Failure;
import dev.ferry.agent.failure.Reason;

/** An artifact could not be fetched; the reason says whether trying later can help. */
public final class FetchException extends Exception {
  private static final long serialVersionUID = 1L;

  private final Reason reason;

  FetchException(Reason reason, String message, Throwable cause) {
    super(message, cause);
    this.reason = reason;
  }

  /** Why it failed. */
  public Reason reason() {
    return reason;
  }

  /** Why it failed and the message, as reported. */
  public Failure failure() {
    return new Failure(reason, getMessage());
  }

  /** Whether trying later can help: the registry was unreachable or the transfer stalled. */
  public boolean retryable() {
    return reason.retryable();
  }
}
