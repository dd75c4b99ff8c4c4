package dev.ferry.cli;

/** A call to the hub that failed, with the exit code it maps to. */
final class HubException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final int exitCode;

  HubException(int exitCode, String message) {
    super(message);
    this.exitCode = exitCode;
  }

  int exitCode() {
    return exitCode;
  }

  /** The exit code of an HTTP error status. */
  static int exitCode(int status) {
    return switch (status) {
      case 401, 403 -> Ferry.UNAUTHORIZED;
      case 404 -> Ferry.NOT_FOUND;
      case 409 -> Ferry.CONFLICT;
      default -> status >= 500 ? Ferry.UNAVAILABLE : Ferry.REFUSED;
    };
  }
}
