package dev.ferry.agent.runtime;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * A version's golden verdict, rerun at most once per interval however many failing requests ask:
 * without it a caller could make every bad request cost a full golden run ({@link Blame}).
 */
final class RecentProof implements Predicate<LoadedVersion> {
  /** How long a verdict stands; a device that breaks is blamed at most this late. */
  static final Duration INTERVAL = Duration.ofMinutes(1);

  private final Predicate<LoadedVersion> golden;
  private final Clock clock;
  private final Duration interval;
  private Instant provenAt;
  private boolean verdict;

  /**
   * @param golden runs the version's golden cases
   * @param clock the time verdicts age by
   * @param interval how long a verdict stands
   */
  RecentProof(Predicate<LoadedVersion> golden, Clock clock, Duration interval) {
    this.golden = Objects.requireNonNull(golden, "golden");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.interval = Objects.requireNonNull(interval, "interval");
  }

  /**
   * The last verdict while it stands, else a fresh one; callers meanwhile wait for that run and
   * share it.
   */
  @Override
  public synchronized boolean test(LoadedVersion version) {
    Instant now = clock.instant();
    if (provenAt == null || !now.isBefore(provenAt.plus(interval))) {
      verdict = golden.test(version);
      provenAt = now;
    }
    return verdict;
  }
}
