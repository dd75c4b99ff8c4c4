package dev.ferry.agent.runtime;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Locale;

/** Watches a newly active version's error rate over its first window. */
public final class Probation {
  /**
   * When a probation is breached.
   *
   * @param window how long a new version is watched
   * @param maxErrorRate the error rate above which it is breached
   * @param minRequests requests needed before the rate is judged
   */
  public record Policy(Duration window, double maxErrorRate, int minRequests) {
    /** Checks the fields. */
    public Policy {
      if (window.isNegative() || window.isZero()) {
        throw new IllegalArgumentException("ferry.agent.probation.window must be positive");
      }
      if (!(maxErrorRate >= 0 && maxErrorRate <= 1)) {
        throw new IllegalArgumentException(
            "ferry.agent.probation.max-error-rate must be in [0, 1], got " + maxErrorRate);
      }
      if (minRequests < 1) {
        throw new IllegalArgumentException(
            "ferry.agent.probation.min-requests must be at least 1, got " + minRequests);
      }
    }
  }

  private final Policy policy;
  private final InstantSource clock;
  private final Instant end;
  private long requests;
  private long errors;

  /** Starts a probation now. */
  public Probation(Policy policy, InstantSource clock) {
    this.policy = policy;
    this.clock = clock;
    this.end = clock.instant().plus(policy.window());
  }

  /** Counts a request made within the window; later ones are ignored. */
  public synchronized void record(boolean error) {
    if (!over()) {
      requests++;
      errors += error ? 1 : 0;
    }
  }

  /** Whether the window has ended. */
  public boolean over() {
    return !clock.instant().isBefore(end);
  }

  /** Whether errors/requests exceeds the maximum with at least the minimum of requests. */
  public synchronized boolean breached() {
    return requests >= policy.minRequests() && (double) errors / requests > policy.maxErrorRate();
  }

  /** The counts and the rule, for reports. */
  public synchronized String reason() {
    return String.format(
        Locale.ROOT,
        "error rate %.3f (%d of %d requests) exceeds max-error-rate %s within probation window %s",
        requests == 0 ? 0.0 : (double) errors / requests,
        errors,
        requests,
        policy.maxErrorRate(),
        policy.window());
  }
}
