package dev.ferry.agent.capture;

import java.io.IOException;
import java.time.Duration;
import java.util.Optional;

/**
 * The hub did not take a capture upload now but may later (a 5xx, 401, 408 or 429), after its
 * {@code Retry-After} when it sent one.
 */
final class UploadDeferredException extends IOException {
  private final transient Duration retryAfter;

  UploadDeferredException(int status, String reason, Duration retryAfter) {
    super("the hub answered " + status + " to a capture upload: " + reason);
    this.retryAfter = retryAfter;
  }

  /** How long the hub asked to wait; empty when it did not say. */
  Optional<Duration> retryAfter() {
    return Optional.ofNullable(retryAfter);
  }
}
