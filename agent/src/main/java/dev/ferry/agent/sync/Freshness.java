package dev.ferry.agent.sync;

import dev.ferry.protocol.device.ReportedState;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Whether the agent has seen a fresh, correctly signed desired state (one it accepted) within
 * {@code ferry.agent.trust.stale-after}: STALE is a warning, never an outage. The time of the last
 * one is kept in {@link FreshnessFile}, so a restart does not make the agent FRESH again; without a
 * record the clock starts at the agent's start.
 */
public final class Freshness {
  private static final Logger LOG = Logger.getLogger(Freshness.class);

  /** The configuration property. */
  public static final String PROPERTY = "ferry.agent.trust.stale-after";

  private final Duration staleAfter;
  private final Clock clock;
  private final Optional<FreshnessFile> file;
  private volatile Instant lastFresh;
  private boolean warned;

  /**
   * Starts fresh now, and keeps nothing on disk.
   *
   * @param staleAfter how long a desired state stays fresh; positive
   * @param clock the clock
   */
  public Freshness(Duration staleAfter, Clock clock) {
    this(staleAfter, clock, Optional.empty());
  }

  private Freshness(Duration staleAfter, Clock clock, Optional<FreshnessFile> file) {
    if (staleAfter.isNegative() || staleAfter.isZero()) {
      throw new IllegalArgumentException(PROPERTY + ": must be positive, got " + staleAfter);
    }
    this.staleAfter = staleAfter;
    this.clock = clock;
    this.file = file;
    this.lastFresh = clock.instant();
  }

  /**
   * Reads the time of the last accepted desired state from the data directory and records each
   * later one there; a missing or corrupt record counts from now, and says so in the log.
   *
   * @param staleAfter how long a desired state stays fresh; positive
   * @param clock the clock
   * @param dataDir the agent's data directory
   * @return the freshness
   */
  public static Freshness restore(Duration staleAfter, Clock clock, Path dataDir) {
    FreshnessFile file = new FreshnessFile(dataDir);
    Freshness freshness = new Freshness(staleAfter, clock, Optional.of(file));
    file.read().ifPresent(freshness::restored);
    return freshness;
  }

  /** A time from the record; one in the future (the clock went back) counts as now. */
  private void restored(Instant recorded) {
    if (recorded.isAfter(lastFresh)) {
      LOG.warnf("%s holds %s, after now: counted from now", file.orElseThrow(), recorded);
      return;
    }
    lastFresh = recorded;
    LOG.infof("last fresh desired state at %s (from %s)", recorded, file.orElseThrow());
  }

  /** A desired state was accepted now; recorded on disk, where a failure is only logged. */
  synchronized void fresh() {
    lastFresh = clock.instant();
    warned = false;
    file.ifPresent(this::record);
  }

  private void record(FreshnessFile to) {
    try {
      to.write(lastFresh);
    } catch (IOException e) {
      LOG.warnf(
          "cannot record the fresh desired state in %s (%s): a restart counts from its start",
          to, e.getMessage());
    }
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
