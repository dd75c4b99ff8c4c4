package dev.ferry.agent.trust;

/** The provisioned trust root, or a persisted rotation of it, cannot be read or verified. */
public final class InvalidTrustRootException extends IllegalStateException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message what is wrong, naming the property and the file
   */
  public InvalidTrustRootException(String message) {
    super(message);
  }
}
