package dev.ferry.hub.rollout;

import dev.ferry.hub.config.HubConfig;
import dev.ferry.hub.db.Database;
import dev.ferry.hub.db.PeriodicJob;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * Re-signs desired states in their second half of validity (a new sequence, the same models), so
 * that a device never freezes on an expired state while the hub runs.
 */
@ApplicationScoped
public class Resigner {
  private static final Logger LOG = Logger.getLogger(Resigner.class);

  @Inject Clock clock;
  @Inject HubConfig config;
  @Inject Database db;
  @Inject DesiredStates desired;

  private PeriodicJob timer;

  void start(@Observes @Priority(4000) StartupEvent event) {
    Duration period = Duration.ofMinutes(Math.max(1, config.desiredValidity().toMinutes() / 10));
    timer = new PeriodicJob("resigner", Duration.ZERO, period, this::resign);
    timer.start();
  }

  /** Before the ingest and the broker stop: a run in progress still publishes what it signed. */
  void stop(@Observes @Priority(1) ShutdownEvent event) {
    if (timer != null) {
      timer.stop();
    }
  }

  /** One run; a failure (the database away) is the {@link PeriodicJob}'s to log. */
  private void resign() {
    int count = resignDue(clock.instant());
    if (count > 0) {
      LOG.infof("re-signed %d desired states", count);
    }
  }

  /**
   * Re-signs every desired state past half its validity.
   *
   * @param now the current time
   * @return how many were re-signed
   */
  public int resignDue(Instant now) {
    Duration half = config.desiredValidity().dividedBy(2);
    Map<String, DesiredStates.Signed> signed =
        db.transaction(c -> desired.nextAll(c, desired.expiringBefore(c, now.plus(half)), now));
    desired.publish(signed);
    return signed.size();
  }
}
