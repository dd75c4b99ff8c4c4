package dev.ferry.protocol.json;

/**
 * A payload could not be decoded: it is too large, not JSON, of an unsupported schema, or a field
 * is missing, of the wrong type or breaks a rule. The message names the field and the value.
 */
public final class MalformedMessageException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message what is wrong, naming the field and the value
   */
  public MalformedMessageException(String message) {
    super(message);
  }

  /**
   * Creates the exception with the error that revealed the problem.
   *
   * @param message what is wrong, naming the field and the value
   * @param cause the underlying parse or validation error
   */
  public MalformedMessageException(String message, Throwable cause) {
    super(message, cause);
  }
}
