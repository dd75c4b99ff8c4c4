package dev.ferry.agent.capture;

/**
 * The hub refused a capture upload for what it holds (a 4xx other than 401, 408 and 429: malformed,
 * not assigned, over a cap, forbidden): sending the same samples again would be refused again.
 */
final class CaptureRefusedException extends Exception {
  private final int status;
  private final String reason;

  CaptureRefusedException(int status, String reason) {
    super("the hub refused the capture upload (HTTP " + status + "): " + reason);
    this.status = status;
    this.reason = reason;
  }

  /** The HTTP status. */
  int status() {
    return status;
  }

  /** The hub's reason: its error body's message. */
  String reason() {
    return reason;
  }
}
