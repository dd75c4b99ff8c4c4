package dev.ferry.hub.packaging;

/** Submitted golden vectors do not fit the model, or the model does not reproduce their outputs. */
public final class InvalidGoldenException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  InvalidGoldenException(String message) {
    super(message);
  }

  InvalidGoldenException(String message, Throwable cause) {
    super(message, cause);
  }
}
