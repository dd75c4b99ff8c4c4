package dev.ferry.protocol.registry;

import java.io.IOException;

/** A registry request failed: the status and the registry's error codes are in the message. */
public class RegistryException extends IOException {
  private static final long serialVersionUID = 1L;

  private final int status;

  /**
   * Creates the exception.
   *
   * @param status the HTTP status, or 0 when there was no answer
   * @param message what failed
   */
  public RegistryException(int status, String message) {
    super(message);
    this.status = status;
  }

  /**
   * Creates the exception with a cause.
   *
   * @param message what failed
   * @param cause the underlying error
   */
  public RegistryException(String message, Throwable cause) {
    this(0, message, cause);
  }

  /**
   * Creates the exception with a status and a cause.
   *
   * @param status the HTTP status, or 0 when there was no answer
   * @param message what failed
   * @param cause the underlying error
   */
  public RegistryException(int status, String message, Throwable cause) {
    super(message, cause);
    this.status = status;
  }

  /** The HTTP status, or 0 when the registry did not answer. */
  public int status() {
    return status;
  }
}
