package dev.ferry.agent.trust;

/** A revocation list is malformed or not signed by the release role; the agent keeps its own. */
public final class UntrustedRevocationsException extends SecurityException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message what was wrong, naming the values
   */
  public UntrustedRevocationsException(String message) {
    super(message);
  }
}
