package dev.ferry.hub.rollout;

import dev.ferry.hub.audit.AuditLog;
import dev.ferry.hub.config.HubConfig;
import dev.ferry.hub.db.Database;
import dev.ferry.hub.fleet.Device;
import dev.ferry.hub.fleet.Devices;
import dev.ferry.hub.fleet.IngestSession;
import dev.ferry.hub.fleet.LabelSelector;
import dev.ferry.hub.telemetry.RolloutMetrics;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Moves rollouts along: starts them at their time, reads their devices' outcomes, advances waves,
 * pauses, fails or rolls back by the thresholds, and sends the release to devices that join a
 * selection later. Each step claims one rollout's row with {@code FOR UPDATE SKIP LOCKED}, so with
 * several hub replicas every step happens once, and a replica that stops leaves the rest to the
 * others.
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
  @Inject Assigner assigner;
  @Inject DesiredStates desired;
  @Inject Devices devices;
  @Inject AuditLog audit;
  @Inject RolloutMetrics metrics;

  @Inject IngestSession session;

  private ScheduledExecutorService timer;
  private Instant lastResync;

  void start(@Observes @Priority(4100) StartupEvent event) {
    timer =
        Executors.newSingleThreadScheduledExecutor(
            task -> {
              Thread thread = new Thread(task, "ferry-rollout-engine");
              thread.setDaemon(true);
              return thread;
            });
    long tick = config.rollout().tick().toMillis();
    timer.scheduleWithFixedDelay(this::tick, tick, tick, TimeUnit.MILLISECONDS);
  }

  void stop(@Observes ShutdownEvent event) {
    if (timer != null) {
      timer.shutdownNow();
    }
  }

  private void tick() {
    try {
      for (int i = 0; i < STEPS_PER_TICK && stepOne(); i++) {
        // each step claims the most overdue rollout
      }
      desired.publishLeftOver(clock.instant(), PUBLISH_GRACE);
      resyncQuietDevices();
    } catch (RuntimeException e) {
      LOG.errorf(e, "rollout step failed; retrying on the next tick");
    }
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
    List<String> quiet = db.transaction(c -> RolloutStore.quiet(c, now.minus(after), 1000));
    if (!quiet.isEmpty()) {
      LOG.debugf("fetching the reported state of %d quiet devices again", quiet.size());
      session.resync(quiet);
    }
  }

  /** Steps the most overdue rollout; false when none is due. */
  boolean stepOne() {
    Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
    Map<String, DesiredStates.Signed> signed = new LinkedHashMap<>();
    boolean stepped =
        db.transaction(
            c -> {
              var due = RolloutStore.claimDue(c, now);
              if (due.isEmpty()) {
                return false;
              }
              step(c, due.get(), now, signed);
              return true;
            });
    desired.publish(signed);
    return stepped;
  }

  /**
   * One step of a locked rollout.
   *
   * @param c the transaction holding the rollout's row lock
   * @param rollout the rollout
   * @param now the current time
   * @param signed collects the desired states to publish after the commit
   */
  void step(Connection c, RolloutRow rollout, Instant now, Map<String, DesiredStates.Signed> signed)
      throws SQLException {
    RolloutRow r = enroll(c, rollout, now);
    switch (r.state()) {
      case CREATED -> {
        Instant startAt = r.strategy().startAt();
        if (startAt == null || !startAt.isAfter(now)) {
          r = startWave(c, r, 0, now, signed);
        }
      }
      case RUNNING -> r = watchWave(c, r, now, signed);
      case SUCCEEDED ->
          // devices that joined after the last wave
          signed.putAll(
              assigner.assign(
                  c,
                  r,
                  RolloutStore.devices(
                      c, r.id(), Integer.MAX_VALUE, List.of(DeviceProgress.WAITING)),
                  now));
      default -> {
        // PAUSED: only devices that join are recorded, to be sent the release on resume
      }
    }
    RolloutStore.update(c, r, nextStep(r, now));
  }

  /** Starts a wave: every waiting device in it (and in the waves before) gets the release. */
  RolloutRow startWave(
      Connection c, RolloutRow r, int wave, Instant now, Map<String, DesiredStates.Signed> signed)
      throws SQLException {
    RolloutRow started = r.with(r.status().startingWave(wave, now));
    List<String> waiting = RolloutStore.devices(c, r.id(), wave, List.of(DeviceProgress.WAITING));
    signed.putAll(assigner.assign(c, started, waiting, now));
    audit.record(
        c,
        AuditLog.HUB,
        "rollout.wave-started",
        r.target(),
        "wave " + (wave + 1) + " of " + r.waves() + ": " + waiting.size() + " devices");
    return started;
  }

  /**
   * Ends a pause that waited for a resume: the next wave starts, or the rollout succeeds after its
   * last.
   */
  RolloutRow advance(
      Connection c, RolloutRow r, Instant now, Map<String, DesiredStates.Signed> signed)
      throws SQLException {
    if (r.lastWave()) {
      return finish(c, r, r.status().ended(RolloutState.SUCCEEDED, null, now));
    }
    return startWave(c, r, r.wave() + 1, now, signed);
  }

  /**
   * Stops a rollout by its error action.
   *
   * @param c the transaction
   * @param r the rollout
   * @param reason why
   * @param kind what tripped
   * @param now the current time
   * @param signed collects desired states of a rollback
   * @return the rollout after
   */
  RolloutRow onError(
      Connection c,
      RolloutRow r,
      String reason,
      PausedFor kind,
      Instant now,
      Map<String, DesiredStates.Signed> signed)
      throws SQLException {
    return switch (r.strategy().onError()) {
      case PAUSE -> finish(c, r, r.status().paused(kind, reason, now));
      case FAIL -> finish(c, r, r.status().ended(RolloutState.FAILED, reason, now));
      case ROLLBACK -> rollBack(c, r, reason, now, signed);
    };
  }

  /** Sends every device the rollout touched back to its previous release. */
  RolloutRow rollBack(
      Connection c,
      RolloutRow r,
      String reason,
      Instant now,
      Map<String, DesiredStates.Signed> signed)
      throws SQLException {
    Map<String, DesiredStates.Signed> reverted = assigner.revert(c, r, now);
    signed.putAll(reverted);
    String why = reason + "; " + reverted.size() + " devices sent back to their previous release";
    return finish(c, r, r.status().ended(RolloutState.ROLLED_BACK, why, now));
  }

  /** Moves a rollout to a state that waits for a resume or for nothing, in the audit log. */
  RolloutRow finish(Connection c, RolloutRow r, RolloutStatus next) throws SQLException {
    audit.record(c, AuditLog.HUB, auditAction(next), r.target(), next.reason());
    return r.with(next);
  }

  private static String auditAction(RolloutStatus next) {
    return switch (next.state()) {
      case PAUSED ->
          next.pausedFor() == PausedFor.WAVE_DONE ? "rollout.wave-done" : "rollout.paused";
      case SUCCEEDED -> "rollout.succeeded";
      case FAILED -> "rollout.failed";
      case ROLLED_BACK -> "rollout.rolled-back";
      case CANCELLED -> "rollout.cancelled";
      case CREATED, RUNNING -> throw new IllegalArgumentException("not an end: " + next.state());
    };
  }

  private RolloutRow watchWave(
      Connection c, RolloutRow r, Instant now, Map<String, DesiredStates.Signed> signed)
      throws SQLException {
    Progress.refresh(c, r, now);
    // devices that joined the running wave
    signed.putAll(
        assigner.assign(
            c, r, RolloutStore.devices(c, r.id(), r.wave(), List.of(DeviceProgress.WAITING)), now));
    Map<DeviceProgress, Integer> counts = RolloutStore.counts(c, r.id(), r.waves()).get(r.wave());
    int total = 0;
    int failed = 0;
    for (var entry : counts.entrySet()) {
      if (entry.getKey() != DeviceProgress.SUPERSEDED
          && entry.getKey() != DeviceProgress.REVERTED) {
        total += entry.getValue();
      }
      if (entry.getKey().failed()) {
        failed += entry.getValue();
      }
    }
    int active = counts.getOrDefault(DeviceProgress.ACTIVE, 0);
    String wave = "wave " + (r.wave() + 1) + " of " + r.waves();
    if (total > 0 && (double) failed / total > r.strategy().errorThreshold()) {
      return onError(
          c,
          r,
          wave
              + ": "
              + failed
              + " of "
              + total
              + " devices failed or rolled back, above the error threshold of "
              + r.strategy().errorThreshold(),
          PausedFor.ERRORS,
          now,
          signed);
    }
    int needed = (int) Math.ceil(r.strategy().successThreshold() * total - 1e-9);
    if (active < needed) {
      return r.with(
          r.status()
              .waiting(
                  wave
                      + ": "
                      + active
                      + " of "
                      + total
                      + " devices ACTIVE, "
                      + needed
                      + " needed"));
    }
    Strategy.Gates gates = r.strategy().metricGates();
    if (gates != null) {
      r = r.status().waveSettledAt() == null ? r.with(r.status().settled(now)) : r;
      Instant judged = r.status().waveSettledAt().plusSeconds(r.strategy().probationSeconds());
      if (now.isBefore(judged)) {
        return r.with(r.status().waiting(wave + ": in probation until " + judged));
      }
      Gates.Verdict verdict = Gates.judge(gates, r.version(), metrics.totals(c, r.id()));
      if (verdict.waiting() != null) {
        return r.with(r.status().waiting(wave + ": " + verdict.waiting()));
      }
      if (verdict.breach() != null) {
        return onError(
            c, r, wave + ": metric gate: " + verdict.breach(), PausedFor.GATE, now, signed);
      }
    }
    if (r.lastWave()) {
      return finish(c, r, r.status().ended(RolloutState.SUCCEEDED, null, now));
    }
    if (r.strategy().autoAdvance()) {
      return startWave(c, r, r.wave() + 1, now, signed);
    }
    String done = wave + " done; resume to start wave " + (r.wave() + 2);
    return finish(c, r, r.status().paused(PausedFor.WAVE_DONE, done, now));
  }

  /**
   * Adds devices that match the rollout's selector and joined (or were labelled) since it was made,
   * unless a newer rollout of the same model selects them: they go into the current wave, or after
   * the last one.
   */
  private RolloutRow enroll(Connection c, RolloutRow r, Instant now) throws SQLException {
    Duration interval = config.rollout().enrollInterval();
    if (r.selector() == null
        || (r.status().enrolledAt() != null
            && r.status().enrolledAt().plus(interval).isAfter(now))) {
      return r;
    }
    LabelSelector selector = LabelSelector.parse(r.selector());
    Set<String> known =
        new HashSet<>(
            RolloutStore.devices(
                c, r.id(), Integer.MAX_VALUE, EnumSet.allOf(DeviceProgress.class)));
    List<LabelSelector> newer = new ArrayList<>();
    for (RolloutRow other : RolloutStore.newerLive(c, r.model(), r.createdAt())) {
      known.addAll(
          RolloutStore.devices(
              c, other.id(), Integer.MAX_VALUE, EnumSet.allOf(DeviceProgress.class)));
      if (other.selector() != null) {
        newer.add(LabelSelector.parse(other.selector()));
      }
    }
    List<String> joined = new ArrayList<>();
    for (Device device : devices.all()) {
      if (!known.contains(device.id())
          && selector.test(device.labels())
          && newer.stream().noneMatch(s -> s.test(device.labels()))) {
        joined.add(device.id());
      }
    }
    if (!joined.isEmpty()) {
      int wave =
          r.state() == RolloutState.SUCCEEDED || r.state() == RolloutState.CREATED
              ? r.waves() - 1
              : r.wave();
      RolloutStore.addDevices(c, r.id(), joined, wave, now);
      audit.record(
          c,
          AuditLog.HUB,
          "rollout.devices-joined",
          r.target(),
          joined.size() + " devices joined wave " + (wave + 1) + ": " + preview(joined));
    }
    return r.with(r.status().enrolled(now));
  }

  private static String preview(List<String> devices) {
    return devices.size() <= 10
        ? String.join(", ", devices)
        : String.join(", ", devices.subList(0, 10)) + ", …";
  }

  /** When the engine looks at a rollout again; null when nothing can change by itself. */
  Instant nextStep(RolloutRow r, Instant now) {
    return switch (r.state()) {
      case RUNNING -> now.plus(config.rollout().tick());
      case CREATED -> {
        Instant startAt = r.strategy().startAt();
        yield startAt == null || startAt.isBefore(now) ? now : startAt;
      }
      case PAUSED, SUCCEEDED ->
          r.selector() == null ? null : now.plus(config.rollout().enrollInterval());
      default -> null;
    };
  }
}
