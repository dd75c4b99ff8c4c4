package dev.ferry.hub.db;

import dev.ferry.protocol.retry.FailureStreak;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.jboss.logging.Logger;

/**
 * The log of a job that fails again and again while something it needs is away (the database,
 * mostly) and retries every second or so, as a {@link FailureStreak}: the streak's first failure in
 * full, with its stack trace; one line every {@link #REMIND_EVERY} while it lasts; one line when
 * the job works again. Without it a database restart wrote a stack trace a second from the rollout
 * engine alone.
 */
public final class FailureLog {
  /** How often a streak that goes on is logged again. */
  public static final Duration REMIND_EVERY = Duration.ofMinutes(1);

  private final Logger log;
  private final String what;
  private final Clock clock;
  private final FailureStreak streak = new FailureStreak(REMIND_EVERY);

  /**
   * @param log the job's logger
   * @param what what fails, as the subject of "failed": {@code storing telemetry}
   */
  public FailureLog(Logger log, String what) {
    this(log, what, Clock.systemUTC());
  }

  FailureLog(Logger log, String what, Clock clock) {
    this.log = log;
    this.what = what;
    this.clock = clock;
  }

  /**
   * One more failure.
   *
   * @param e what failed
   * @param retry what happens next, for the message: {@code retried in 1s}
   */
  public void failed(RuntimeException e, String retry) {
    switch (streak.failed(clock.instant())) {
      case FIRST -> log.warnf(e, "%s failed, %s: %s", what, retry, e.getMessage());
      case AGAIN -> {
        Instant since = streak.since().orElse(null);
        log.warnf(
            "%s still failing, %d times since %s, %s: %s",
            what, streak.failures(), since, retry, e.getMessage());
      }
      case QUIET -> log.debugf("%s failed again, %s: %s", what, retry, e.getMessage());
    }
  }

  /** The job worked: a streak, if there was one, ends. */
  public void succeeded() {
    streak
        .ended(clock.instant())
        .ifPresent(
            ended ->
                log.infof(
                    "%s works again after %d failures over %d s",
                    what, ended.failures(), ended.lasted().toSeconds()));
  }
}
