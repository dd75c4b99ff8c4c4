package dev.ferry.agent.fetch;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Exponential backoff with full jitter: attempt n waits a random time up to {@code min(max,
 * initial·2ⁿ)}, so that a fleet coming back online does not retry in lockstep.
 *
 * @param initial the first delay bound
 * @param max the largest delay bound
 * @param attempts how many tries in all
 */
public record Backoff(Duration initial, Duration max, int attempts) {
  /**
   * Retries within one fetch: 0.5 s then 1 s, 3 tries; the agent tries the whole install again
   * later ({@link #RESUME}), so a long outage does not hold up a newer desired state.
   */
  public static final Backoff DEFAULT =
      new Backoff(Duration.ofMillis(500), Duration.ofSeconds(5), 3);

  /** Retries of an install that could not reach the registry: 1 s doubling up to 60 s, forever. */
  public static final Backoff RESUME =
      new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(60), Integer.MAX_VALUE);

  /**
   * The delay before a retry.
   *
   * @param attempt the number of the try that failed, from 0
   * @return how long to wait
   */
  public Duration delay(int attempt) {
    long bound = Math.min(max.toMillis(), initial.toMillis() << Math.min(attempt, 20));
    return Duration.ofMillis(ThreadLocalRandom.current().nextLong(bound + 1));
  }
}
