package dev.ferry.agent.serve;

/** A model or version that does not serve here: answered 404 with the message. */
public final class UnknownModelException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public UnknownModelException(String message) {
    super(message);
  }
}
