package dev.ferry.hub.signing;

import dev.ferry.hub.db.PeriodicJob;
import dev.ferry.protocol.signing.TrustRoot;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Watches the newest trust root's expiry: once it has expired, every device refuses every desired
 * state (it keeps serving what it has), so the hub warns from {@link #WARN_BEFORE} ahead, at start
 * and once a day, and says so as an ERROR once it has; and {@code ferry_trust_root_expiry_seconds}
 * (seconds left, negative once expired; NaN for a root that never expires) lets an alert fire
 * before any of that.
 */
@ApplicationScoped
public class RootExpiry {
  /** How long ahead of the expiry the hub warns. */
  static final Duration WARN_BEFORE = Duration.ofDays(30);

  private static final Logger LOG = Logger.getLogger(RootExpiry.class);

  @Inject TrustChain trust;
  @Inject MeterRegistry registry;
  @Inject Clock clock;

  private volatile TrustRoot newest;
  private final PeriodicJob timer =
      new PeriodicJob("root expiry check", Duration.ZERO, Duration.ofDays(1), this::check);

  void start(@Observes @Priority(2650) StartupEvent event) {
    Gauge.builder("ferry.trust.root.expiry", this, RootExpiry::secondsLeft)
        .description("Seconds until the newest trust root expires; negative once it has")
        .baseUnit("seconds")
        .register(registry);
    timer.start();
  }

  void stop(@Observes ShutdownEvent event) {
    timer.stop();
  }

  /** A new root: checked again now. */
  void rootAdded(@Observes TrustRootAdded event) {
    newest = event.root();
    timer.runSoon();
  }

  private void check() {
    newest = trust.current();
    warning(newest, clock.instant()).ifPresent(this::log);
  }

  private void log(Warning warning) {
    if (warning.expired()) {
      LOG.error(warning.text());
    } else {
      LOG.warn(warning.text());
    }
  }

  private double secondsLeft() {
    TrustRoot root = newest;
    if (root == null || root.expiresAt() == null) {
      return Double.NaN;
    }
    return Duration.between(clock.instant(), root.expiresAt()).toSeconds();
  }

  /**
   * What to say of a root's expiry now.
   *
   * @param text the line
   * @param expired whether it has expired
   */
  record Warning(String text, boolean expired) {}

  /**
   * What to say of a root's expiry, if anything.
   *
   * @param root the newest root
   * @param now the time
   * @return a warning within {@link #WARN_BEFORE} of its expiry or after it; empty before that, or
   *     for a root that never expires
   */
  static Optional<Warning> warning(TrustRoot root, Instant now) {
    Instant expires = root.expiresAt();
    if (expires == null || now.isBefore(expires.minus(WARN_BEFORE))) {
      return Optional.empty();
    }
    if (!now.isBefore(expires)) {
      return Optional.of(
          new Warning(
              "trust root version "
                  + root.version()
                  + " expired at "
                  + expires
                  + ": every device refuses every desired state until root version "
                  + (root.version() + 1)
                  + " is uploaded (ferry trust rotate; PUT /api/v1/trust/root)",
              true));
    }
    long days = Duration.between(now, expires).toDays();
    return Optional.of(
        new Warning(
            "trust root version "
                + root.version()
                + " expires at "
                + expires
                + ", in "
                + days
                + " days: sign root version "
                + (root.version() + 1)
                + " with ferry trust rotate and upload it before then; after it every device"
                + " refuses every desired state",
            false));
  }
}
