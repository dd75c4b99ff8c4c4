package dev.ferry.hub.rollout;

import dev.ferry.hub.audit.AuditLog;
import dev.ferry.hub.config.HubConfig;
import dev.ferry.hub.telemetry.RolloutMetrics;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Carries out a rollout's moves in the caller's transaction, which holds the rollout's row lock:
 * one engine step, a wave's start, the {@link WavePolicy}'s verdict, an end, a rollback, a chunk of
 * a fan-out (the release, or a prefetch of it). Each returns the rollout after and the desired
 * states it signed.
 */
@ApplicationScoped
class RolloutSteps {
  @Inject HubConfig config;
  @Inject Assigner assigner;
  @Inject Enrollment enrollment;
  @Inject AuditLog audit;

  /** One engine step of a locked rollout, its next step time stored. */
  Change step(Connection c, RolloutRow rollout, Instant now) throws SQLException {
    RolloutRow r = enrollment.enroll(c, rollout, now);
    Change change =
        withPrefetches(
            c,
            switch (r.state()) {
              case CREATED -> due(r, now) ? startWave(c, r, 0, now) : Change.of(r);
              case RUNNING -> watchWave(c, r, now);
              // devices that joined after the last wave
              case SUCCEEDED ->
                  assignWaiting(c, r, Integer.MAX_VALUE, ChunkSizes.FAN_OUT.of(0), now);
              // PAUSED: devices that join are only recorded, to be sent the release on resume
              default -> Change.of(r);
            });
    RolloutStore.update(c, change.rollout(), nextStep(change.rollout(), now));
    return change;
  }

  /**
   * Starts a wave: every waiting device in it (and in the waves before) gets the release, the first
   * chunk of them in this transaction ({@link FanOut} signs the others).
   */
  Change startWave(Connection c, RolloutRow r, int wave, Instant now) throws SQLException {
    RolloutRow started = r.with(r.status().startingWave(wave, now));
    List<String> waiting =
        RolloutDeviceStore.devices(c, r.id(), wave, List.of(DeviceProgress.WAITING));
    String details = "wave " + (wave + 1) + " of " + r.waves() + ": " + waiting.size() + " devices";
    audit.record(c, AuditLog.HUB, "rollout.wave-started", r.target(), details);
    return assignChunk(c, started, waiting, ChunkSizes.FAN_OUT.of(0), now);
  }

  /**
   * The next chunk of a fan-out, in a transaction that holds the rollout's row lock: the release
   * goes to at most {@code size} more of the devices still waiting in the waves started so far;
   * once none is left, a rollout that prefetches sends its prefetch to the rest of them, or
   * withdraws it once it ended. Nothing is judged; the engine's next step does that.
   *
   * @param c the transaction
   * @param r the locked rollout, as committed
   * @param size the chunk's size
   * @param now the current time
   * @return the rollout, unchanged, and the chunk's desired states
   */
  Change nextChunk(Connection c, RolloutRow r, int size, Instant now) throws SQLException {
    Change assigned =
        switch (r.state()) {
          case RUNNING -> assignWaiting(c, r, r.wave(), size, now);
          case SUCCEEDED -> assignWaiting(c, r, Integer.MAX_VALUE, size, now);
          // paused or ended since the last chunk: no device gets the release until a resume
          default -> Change.of(r);
        };
    if (assigned.more() || !r.strategy().prefetch()) {
      return assigned;
    }
    return prefetchChunk(c, r, size - assigned.signed().size(), now).plus(assigned.signed());
  }

  /**
   * The same change, leaving more for the fan-out when a rollout that prefetches has WAITING
   * devices whose desired state is yet to carry its prefetch, or, once it ended, still does. The
   * fan-out's next chunks sign them: they read the rollout as this change commits it.
   *
   * @param c the transaction
   * @param change the change, its rollout as it is to be committed
   * @return the change, with more to do where prefetches are to be sent or withdrawn
   */
  Change withPrefetches(Connection c, Change change) throws SQLException {
    RolloutRow r = change.rollout();
    if (change.more() || !r.strategy().prefetch()) {
      return change;
    }
    boolean left = !RolloutDeviceStore.prefetchWaiting(c, r.id(), !r.prefetching(), 1).isEmpty();
    return left ? change.withMore() : change;
  }

  /**
   * Ends a pause that waited for a resume: the next wave starts, or the rollout succeeds after its
   * last.
   */
  Change advance(Connection c, RolloutRow r, Instant now) throws SQLException {
    if (r.lastWave()) {
      return Change.of(finish(c, r, r.status().ended(RolloutState.SUCCEEDED, null, now)));
    }
    return startWave(c, r, r.wave() + 1, now);
  }

  /** Sends every device the rollout touched back to its previous release. */
  Change rollBack(Connection c, RolloutRow r, String reason, Instant now) throws SQLException {
    Map<String, DesiredStates.Signed> reverted = assigner.revert(c, r, now);
    int sent = reverted.size();
    String why =
        reason
            + "; "
            + (sent == 1
                ? "1 device sent back to its previous release"
                : sent + " devices sent back to their previous releases");
    return new Change(finish(c, r, r.status().ended(RolloutState.ROLLED_BACK, why, now)), reverted);
  }

  /** Moves a rollout to a state that waits for a resume or for nothing, in the audit log. */
  RolloutRow finish(Connection c, RolloutRow r, RolloutStatus next) throws SQLException {
    audit.record(c, AuditLog.HUB, auditAction(next), r.target(), next.reason());
    return r.with(next);
  }

  /** When the engine looks at a rollout again; null when nothing can change by itself. */
  Instant nextStep(RolloutRow r, Instant now) {
    return switch (r.state()) {
      case RUNNING -> now.plus(config.rollout().tick());
      case CREATED -> due(r, now) ? now : r.strategy().startAt();
      case PAUSED, SUCCEEDED ->
          r.selector() == null ? null : now.plus(config.rollout().enrollInterval());
      default -> null;
    };
  }

  private static boolean due(RolloutRow r, Instant now) {
    Instant startAt = r.strategy().startAt();
    return startAt == null || !startAt.isAfter(now);
  }

  /**
   * Reads the wave's outcomes, sends the release to devices that joined it, and judges it once none
   * is left waiting.
   */
  private Change watchWave(Connection c, RolloutRow r, Instant now) throws SQLException {
    Progress.refresh(c, r, now);
    Change joined = assignWaiting(c, r, r.wave(), ChunkSizes.FAN_OUT.of(0), now);
    if (joined.more()) {
      return joined;
    }
    Map<DeviceProgress, Integer> counts =
        RolloutDeviceStore.counts(c, r.id(), r.waves()).get(r.wave());
    Map<RolloutMetrics.ServedOn, RolloutMetrics.Totals> served =
        r.strategy().metricGates() == null ? Map.of() : RolloutMetrics.totals(c, r.id());
    Verdict verdict = WavePolicy.judge(WaveFacts.of(r, counts, served), now);
    return apply(c, r, verdict, now).plus(joined.signed());
  }

  private Change apply(Connection c, RolloutRow r, Verdict verdict, Instant now)
      throws SQLException {
    RolloutRow judged = r.with(r.status().settled(verdict.settledAt()));
    RolloutStatus status = judged.status();
    return switch (verdict.kind()) {
      case WAIT -> Change.of(judged.with(status.waiting(verdict.reason())));
      case PROMOTE -> startWave(c, judged, r.wave() + 1, now);
      case SUCCEED -> Change.of(finish(c, judged, status.ended(RolloutState.SUCCEEDED, null, now)));
      case PAUSE ->
          Change.of(finish(c, judged, status.paused(verdict.pausedFor(), verdict.reason(), now)));
      case FAIL ->
          Change.of(finish(c, judged, status.ended(RolloutState.FAILED, verdict.reason(), now)));
      case ROLL_BACK -> rollBack(c, judged, verdict.reason(), now);
    };
  }

  /** Sends the release to a chunk of the rollout's waiting devices in waves up to one. */
  private Change assignWaiting(Connection c, RolloutRow r, int maxWave, int size, Instant now)
      throws SQLException {
    List<String> waiting = RolloutDeviceStore.waiting(c, r.id(), maxWave, size + 1);
    return assignChunk(c, r, waiting, size, now);
  }

  /** Sends the release to the first {@code size} of the waiting devices; more if some are left. */
  private Change assignChunk(
      Connection c, RolloutRow r, List<String> waiting, int size, Instant now) throws SQLException {
    List<String> chunk = waiting.subList(0, Math.min(size, waiting.size()));
    return new Change(r, assigner.assign(c, r, chunk, now), waiting.size() > size);
  }

  /**
   * Sends the prefetch to the first {@code size} of the WAITING devices whose desired state does
   * not carry it yet, or withdraws it from those that do once the rollout ended; more if some are
   * left.
   */
  private Change prefetchChunk(Connection c, RolloutRow r, int size, Instant now)
      throws SQLException {
    boolean send = r.prefetching();
    List<String> due = RolloutDeviceStore.prefetchWaiting(c, r.id(), !send, size + 1);
    List<String> chunk = due.subList(0, Math.min(size, due.size()));
    return new Change(r, assigner.prefetch(c, r, chunk, send, now), due.size() > size);
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
}
