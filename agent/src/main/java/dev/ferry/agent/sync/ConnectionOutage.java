package dev.ferry.agent.sync;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * What the agent tells its operator while its MQTT link is down: the first failed connect is a
 * warning, then one every {@link #REMIND_EVERY} while the outage lasts (the agent retries up to
 * once a minute, and a device may be offline for days); the connection that ends it says how long
 * it lasted. A lost connection's own warning counts as the outage's first.
 */
final class ConnectionOutage {
  /** How often a lasting outage is logged again. */
  static final Duration REMIND_EVERY = Duration.ofMinutes(10);

  /** How to log a failed connect. */
  enum Report {
    /** The outage's first warning. */
    FIRST,
    /** A reminder that it goes on. */
    AGAIN,
    /** At debug level only. */
    QUIET
  }

  private Instant since;
  private Instant warned;

  /** A link that was up went down, and that was logged. */
  synchronized void lost(Instant now) {
    if (since == null) {
      since = now;
      warned = now;
    }
  }

  /** A connect failed: how to log it. */
  synchronized Report failed(Instant now) {
    if (since == null) {
      since = now;
      warned = now;
      return Report.FIRST;
    }
    if (!now.isBefore(warned.plus(REMIND_EVERY))) {
      warned = now;
      return Report.AGAIN;
    }
    return Report.QUIET;
  }

  /** Since when the link is down; empty while it is up. */
  synchronized Optional<Instant> since() {
    return Optional.ofNullable(since);
  }

  /** The link is up: how long it was down, if it was. */
  synchronized Optional<Duration> connected(Instant now) {
    Optional<Duration> lasted = since().map(start -> Duration.between(start, now));
    since = null;
    warned = null;
    return lasted;
  }
}
