package dev.ferry.agent.runtime;

/** A golden vector case does not run, or its outputs are outside tolerance. */
public final class GoldenMismatchException extends VersionRejectedException {
  private static final long serialVersionUID = 1L;

  public GoldenMismatchException(String message) {
    super(message);
  }

  public GoldenMismatchException(String message, Throwable cause) {
    super(message, cause);
  }
}
