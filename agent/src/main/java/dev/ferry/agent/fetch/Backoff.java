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
  /** The agent's default: 0.5 s doubling up to 30 s, 8 tries. */
  public static final Backoff DEFAULT =
      new Backoff(Duration.ofMillis(500), Duration.ofSeconds(30), 8);

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
