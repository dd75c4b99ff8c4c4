package dev.ferry.hub.api;

import dev.ferry.protocol.api.ApiError;
import java.util.Map;

/** An error to answer with: its code picks the status, its message goes to the caller. */
public class ApiException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final ErrorCode code;
  private final transient Map<String, Object> details;

  /**
   * Creates the exception.
   *
   * @param code the error code
   * @param message the message for the caller
   */
  public ApiException(ErrorCode code, String message) {
    this(code, message, Map.of());
  }

  /**
   * Creates the exception with details.
   *
   * @param code the error code
   * @param message the message for the caller
   * @param details extra facts for the caller
   */
  public ApiException(ErrorCode code, String message, Map<String, Object> details) {
    super(message);
    this.code = code;
    this.details = Map.copyOf(details);
  }

  /** The error code. */
  public ErrorCode code() {
    return code;
  }

  /** The error body. */
  public ApiError body() {
    return new ApiError(code.name(), getMessage(), details);
  }
}
