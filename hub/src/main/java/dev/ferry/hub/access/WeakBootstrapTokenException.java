package dev.ferry.hub.access;

/** The configured admin token is a placeholder or too weak; the hub does not start with it. */
public final class WeakBootstrapTokenException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  WeakBootstrapTokenException(String message) {
    super(message);
  }
}
