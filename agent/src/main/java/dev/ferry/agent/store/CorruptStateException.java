package dev.ferry.agent.store;

/** {@code state.json} cannot be decoded; the agent refuses to start rather than forget it. */
public final class CorruptStateException extends IllegalStateException {
  private static final long serialVersionUID = 1L;

  CorruptStateException(String message, Throwable cause) {
    super(message, cause);
  }
}
