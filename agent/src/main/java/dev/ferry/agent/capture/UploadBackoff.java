package dev.ferry.agent.capture;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * When the uploader may try next: at once while the hub takes uploads; after a failure, once the
 * hub's {@code Retry-After} has passed, or else a wait that doubles from the first to the most.
 */
final class UploadBackoff {
  private final Clock clock;
  private final Duration first;
  private final Duration most;
  private int failures;
  private Instant notBefore = Instant.MIN;

  /**
   * Creates it due at once.
   *
   * @param clock the clock
   * @param first the wait after one failure
   * @param most the longest wait, also for a longer {@code Retry-After}
   */
  UploadBackoff(Clock clock, Duration first, Duration most) {
    if (first.isNegative() || first.isZero() || most.compareTo(first) < 0) {
      throw new IllegalArgumentException(
          "backoff must be 0 < first <= most: " + first + ", " + most);
    }
    this.clock = clock;
    this.first = first;
    this.most = most;
  }

  /** Whether an upload may be tried now. */
  synchronized boolean due() {
    return !clock.instant().isBefore(notBefore);
  }

  /** The hub took an upload: the next may follow at once. */
  synchronized void succeeded() {
    failures = 0;
    notBefore = Instant.MIN;
  }

  /**
   * An upload failed: waits what the hub asked, or else twice the last wait.
   *
   * @param retryAfter the hub's {@code Retry-After}, if it sent one
   */
  synchronized void failed(Optional<Duration> retryAfter) {
    failures++;
    Duration wait = retryAfter.orElseGet(this::doubled);
    notBefore = clock.instant().plus(wait.compareTo(most) > 0 ? most : wait);
  }

  /** When the next try is due. */
  synchronized Instant notBefore() {
    return notBefore;
  }

  private Duration doubled() {
    int doublings = Math.min(failures - 1, 30);
    Duration wait = first.multipliedBy(1L << doublings);
    return wait.compareTo(most) > 0 ? most : wait;
  }
}
