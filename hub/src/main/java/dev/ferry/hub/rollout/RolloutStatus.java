package dev.ferry.hub.rollout;

import java.time.Instant;

/**
 * Where a rollout stands: the part of it that changes, only through these methods, each a move that
 * {@link RolloutState} allows.
 *
 * @param state where it stands
 * @param wave the current wave, from 0
 * @param waveStartedAt when the current wave started, or null before the first
 * @param waveSettledAt when the current wave first met its success threshold, or null
 * @param reason the reason shown, or null
 * @param pausedFor what a pause waits for, or null
 * @param enrolledAt when devices that joined later were last looked for, or null
 * @param updatedAt when its state last changed
 */
record RolloutStatus(
    RolloutState state,
    int wave,
    Instant waveStartedAt,
    Instant waveSettledAt,
    String reason,
    PausedFor pausedFor,
    Instant enrolledAt,
    Instant updatedAt) {

  /** A new rollout, waiting for its first wave. */
  static RolloutStatus created(Instant now) {
    return new RolloutStatus(RolloutState.CREATED, 0, null, null, null, null, now, now);
  }

  /** Running a wave that starts now. */
  RolloutStatus startingWave(int next, Instant now) {
    RolloutState to = state.moveTo(RolloutState.RUNNING);
    return new RolloutStatus(to, next, now, null, null, null, enrolledAt, now);
  }

  /** Paused, waiting for what the reason says. */
  RolloutStatus paused(PausedFor kind, String why, Instant now) {
    return moved(RolloutState.PAUSED, kind, why, now);
  }

  /** Resumed after an operator's pause: the same wave again, or still waiting for its start. */
  RolloutStatus resumed(Instant now) {
    RolloutState back = waveStartedAt == null ? RolloutState.CREATED : RolloutState.RUNNING;
    return moved(back, null, null, now);
  }

  /** Ended in a state that waits for nothing: succeeded, failed, cancelled or rolled back. */
  RolloutStatus ended(RolloutState end, String why, Instant now) {
    return moved(end, null, why, now);
  }

  /** The same, telling what it waits for. */
  RolloutStatus waiting(String why) {
    return new RolloutStatus(
        state, wave, waveStartedAt, waveSettledAt, why, pausedFor, enrolledAt, updatedAt);
  }

  /** The same, its wave having met its success threshold at a time. */
  RolloutStatus settled(Instant at) {
    return new RolloutStatus(
        state, wave, waveStartedAt, at, reason, pausedFor, enrolledAt, updatedAt);
  }

  /** The same, having looked for devices that joined. */
  RolloutStatus enrolled(Instant now) {
    return new RolloutStatus(
        state, wave, waveStartedAt, waveSettledAt, reason, pausedFor, now, updatedAt);
  }

  private RolloutStatus moved(RolloutState to, PausedFor kind, String why, Instant now) {
    return new RolloutStatus(
        state.moveTo(to), wave, waveStartedAt, waveSettledAt, why, kind, enrolledAt, now);
  }
}
