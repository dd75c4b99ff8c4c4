package dev.ferry.agent.sync;

import dev.ferry.protocol.device.ReportedState;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Whether the agent has seen a fresh, correctly signed desired state (one it accepted) within
 * {@code ferry.agent.trust.stale-after}: STALE is a warning, never an outage. The clock starts at
 * the agent's start, so a restarted agent is FRESH for one period.
 */
public final class Freshness {
  /** The configuration property. */
  public static final String PROPERTY = "ferry.agent.trust.stale-after";

  private final Duration staleAfter;
  private final Clock clock;
  private volatile Instant lastFresh;
  private boolean warned;

  /**
   * Starts fresh now.
   *
   * @param staleAfter how long a desired state stays fresh; positive
   * @param clock the clock
   */
  public Freshness(Duration staleAfter, Clock clock) {
    if (staleAfter.isNegative() || staleAfter.isZero()) {
      throw new IllegalArgumentException(PROPERTY + ": must be positive, got " + staleAfter);
    }
    this.staleAfter = staleAfter;
    this.clock = clock;
    this.lastFresh = clock.instant();
  }

  /** A desired state was accepted now. */
  synchronized void fresh() {
    lastFresh = clock.instant();
    warned = false;
  }

  /** Whether more than stale-after has passed since the last accepted desired state. */
  public boolean stale() {
    return Duration.between(lastFresh, clock.instant()).compareTo(staleAfter) > 0;
  }

  /** {@link ReportedState#FRESH} or {@link ReportedState#STALE}. */
  public String label() {
    return stale() ? ReportedState.STALE : ReportedState.FRESH;
  }

  /** When the last desired state was accepted (or the agent started). */
  public Instant lastFresh() {
    return lastFresh;
  }

  /** How long a desired state stays fresh. */
  public Duration staleAfter() {
    return staleAfter;
  }

  /**
   * The warning to send, once per stale period: when the agent has just turned stale.
   *
   * @return the warning, naming the last fresh time and the setting; empty otherwise
   */
  Optional<String> staleWarning() {
    if (!turnedStale()) {
      return Optional.empty();
    }
    return Optional.of(
        "no fresh desired state since "
            + lastFresh
            + " ("
            + PROPERTY
            + " "
            + staleAfter
            + "); still serving");
  }

  /** True once when the agent turns stale, so that the warning goes out once per stale period. */
  synchronized boolean turnedStale() {
    boolean first = stale() && !warned;
    warned |= first;
    return first;
  }

  /** How often to look: a tenth of stale-after, between a second and a minute. */
  Duration checkEvery() {
    Duration tenth = staleAfter.dividedBy(10);
    Duration atLeast = tenth.compareTo(Duration.ofSeconds(1)) < 0 ? Duration.ofSeconds(1) : tenth;
    return atLeast.compareTo(Duration.ofMinutes(1)) > 0 ? Duration.ofMinutes(1) : atLeast;
  }
}
