package dev.ferry.agent.runtime;

/** A version that must not serve: it does not load, does not fit serving.json, or fails golden. */
public class VersionRejectedException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public VersionRejectedException(String message) {
    super(message);
  }

  public VersionRejectedException(String message, Throwable cause) {
    super(message, cause);
  }
}
