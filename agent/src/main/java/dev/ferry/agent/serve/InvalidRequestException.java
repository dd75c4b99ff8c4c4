package dev.ferry.agent.serve;

/** A caller's mistake in a request: answered 400 with the message. */
public final class InvalidRequestException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public InvalidRequestException(String message) {
    super(message);
  }
}
