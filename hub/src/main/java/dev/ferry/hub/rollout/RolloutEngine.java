package dev.ferry.hub.rollout;

import dev.ferry.hub.config.HubConfig;
import dev.ferry.hub.db.Database;
import dev.ferry.hub.db.PeriodicJob;
import dev.ferry.hub.fleet.IngestSession;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Moves rollouts along on a timer: starts them at their time, reads their devices' outcomes,
 * advances waves, pauses, fails or rolls back by the thresholds, and sends the release to devices
 * that join a selection later ({@link RolloutSteps} does each step). Each step claims one rollout's
 * row with {@code FOR UPDATE SKIP LOCKED}, so with several hub replicas every step happens once,
 * and a replica that stops leaves the rest to the others.
 */
@ApplicationScoped
public class RolloutEngine {
  private static final Logger LOG = Logger.getLogger(RolloutEngine.class);
  private static final int STEPS_PER_TICK = 100;
  // longer than publishing a wave of thousands takes, so the sweep never races its signer
  private static final Duration PUBLISH_GRACE = Duration.ofSeconds(60);

  @Inject Clock clock;
  @Inject HubConfig config;
  @Inject Database db;
  @Inject RolloutSteps steps;
  @Inject DesiredStates desired;
  @Inject FanOut fanOut;
  @Inject IngestSession session;

  private PeriodicJob timer;
  private Instant lastResync;

  void start(@Observes @Priority(4100) StartupEvent event) {
    Duration tick = config.rollout().tick();
    timer = new PeriodicJob("rollout engine", tick, tick, this::tick);
    timer.start();
  }

  /** Before the ingest and the broker stop: a step in progress still publishes what it signed. */
  void stop(@Observes @Priority(1) ShutdownEvent event) {
    if (timer != null) {
      timer.stop();
    }
  }

  /** One tick; a failure (the database away) is the {@link PeriodicJob}'s to log. */
  private void tick() {
    for (int i = 0; i < STEPS_PER_TICK && stepOne(); i++) {
      // each step claims the most overdue rollout
    }
    desired.publishLeftOver(clock.instant(), PUBLISH_GRACE);
    resyncQuietDevices();
  }

  /**
   * Fetches the retained reports of devices that stayed ASSIGNED for long: their report may have
   * gone to a replica that stopped before storing it.
   */
  private void resyncQuietDevices() {
    Instant now = clock.instant();
    Duration after = config.rollout().resyncAfter();
    if (lastResync != null && lastResync.plus(after).isAfter(now)) {
      return;
    }
    lastResync = now;
    List<String> quiet = db.transaction(c -> RolloutDeviceStore.quiet(c, now.minus(after), 1000));
    if (!quiet.isEmpty()) {
      LOG.debugf("fetching the reported state of %d quiet devices again", quiet.size());
      session.resync(quiet);
    }
  }

  /** Steps the most overdue rollout; false when none is due. */
  boolean stepOne() {
    Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
    Optional<Stepped> stepped =
        db.transaction(
            c -> {
              Optional<RolloutRow> due = RolloutStore.claimDue(c, now);
              return due.isEmpty()
                  ? Optional.empty()
                  : Optional.of(new Stepped(due.get(), steps.step(c, due.get(), now)));
            });
    stepped.ifPresent(
        s -> {
          RolloutLog.moved(s.before(), s.change().rollout(), true);
          fanOut.complete(s.change());
        });
    return stepped.isPresent();
  }

  /** A rollout as claimed, and the step's change to it. */
  private record Stepped(RolloutRow before, Change change) {}
}
