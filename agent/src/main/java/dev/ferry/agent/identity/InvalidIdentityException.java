package dev.ferry.agent.identity;

/** An identity file or an answer of the hub does not hold what it must; never holds a secret. */
public final class InvalidIdentityException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message what is wrong, naming the file or field
   */
  public InvalidIdentityException(String message) {
    super(message);
  }
}
