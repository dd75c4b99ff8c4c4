package dev.ferry.protocol.retry;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * Failures of one thing retried again and again while what it needs is away (a broker, a database),
 * told to an operator without a line at every retry: the streak's first failure, a reminder every
 * {@code remindEvery} while it lasts, and its end with how long it lasted. It only decides; the
 * caller logs what it says. Thread-safe.
 */
public final class FailureStreak {
  /** How to tell one failure. */
  public enum Report {
    /** The streak's first: tell it in full. */
    FIRST,
    /** A reminder that it goes on. */
    AGAIN,
    /** Nothing beyond debug. */
    QUIET
  }

  /**
   * A streak that ended.
   *
   * @param since when its first failure was
   * @param failures how many failures it counted
   * @param lasted from its first failure to its end
   */
  public record Ended(Instant since, long failures, Duration lasted) {}

  private final Duration remindEvery;
  private Instant since;
  private Instant reminded;
  private long failures;

  /**
   * @param remindEvery how often a streak that goes on is told again
   */
  public FailureStreak(Duration remindEvery) {
    this.remindEvery = Objects.requireNonNull(remindEvery, "remindEvery");
  }

  /**
   * A streak begins with a failure told elsewhere (a lost connection's own warning): it counts as
   * the first. Nothing when a streak runs already.
   *
   * @param now the time
   */
  public synchronized void began(Instant now) {
    if (since == null) {
      since = now;
      reminded = now;
    }
  }

  /**
   * One more failure.
   *
   * @param now the time
   * @return how to tell it
   */
  public synchronized Report failed(Instant now) {
    failures++;
    if (since == null) {
      since = now;
      reminded = now;
      return Report.FIRST;
    }
    if (!now.isBefore(reminded.plus(remindEvery))) {
      reminded = now;
      return Report.AGAIN;
    }
    return Report.QUIET;
  }

  /** When the streak began; empty while there is none. */
  public synchronized Optional<Instant> since() {
    return Optional.ofNullable(since);
  }

  /** How many failures the streak counted so far; 0 while there is none. */
  public synchronized long failures() {
    return failures;
  }

  /**
   * It worked: the streak, if there was one, ends.
   *
   * @param now the time
   * @return the streak that ended; empty when there was none
   */
  public synchronized Optional<Ended> ended(Instant now) {
    if (since == null) {
      return Optional.empty();
    }
    Ended ended = new Ended(since, failures, Duration.between(since, now));
    since = null;
    reminded = null;
    failures = 0;
    return Optional.of(ended);
  }
}
