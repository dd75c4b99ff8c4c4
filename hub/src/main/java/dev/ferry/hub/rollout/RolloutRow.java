package dev.ferry.hub.rollout;

import java.time.Instant;

/**
 * A rollout as stored.
 *
 * @param id the id
 * @param model the model
 * @param version the release version
 * @param selector the selector, or null for an explicit list
 * @param strategy the complete strategy
 * @param state where it stands
 * @param wave the current wave, from 0
 * @param waves how many waves
 * @param waveStartedAt when the current wave started
 * @param waveSettledAt when the current wave first met its success threshold
 * @param reason the reason shown, or null
 * @param pausedFor what a pause waits for, or null
 * @param enrolledAt when devices that joined later were last looked for
 * @param createdBy the token that made it
 * @param createdAt when
 * @param updatedAt when its state last changed
 */
record RolloutRow(
    String id,
    String model,
    String version,
    String selector,
    Strategy strategy,
    RolloutState state,
    int wave,
    int waves,
    Instant waveStartedAt,
    Instant waveSettledAt,
    String reason,
    PausedFor pausedFor,
    Instant enrolledAt,
    String createdBy,
    Instant createdAt,
    Instant updatedAt) {

  /** What a pause waits for. */
  enum PausedFor {
    /** An operator paused it; a resume goes on with the same wave. */
    MANUAL,
    /** The wave is done and autoAdvance is off; a resume starts the next wave. */
    WAVE_DONE,
    /** The wave's failures passed the error threshold; a resume starts the next wave. */
    ERRORS,
    /** A metric gate tripped; a resume starts the next wave. */
    GATE
  }

  /** The same rollout running a wave that starts now. */
  RolloutRow startingWave(int next, Instant now) {
    return with(RolloutState.RUNNING, next, now, null, null, null, enrolledAt, now);
  }

  /** The same rollout in another state. */
  RolloutRow moved(RolloutState to, PausedFor kind, String why, Instant now) {
    return with(to, wave, waveStartedAt, waveSettledAt, why, kind, enrolledAt, now);
  }

  /** The same rollout telling what it waits for. */
  RolloutRow withReason(String why) {
    return with(state, wave, waveStartedAt, waveSettledAt, why, pausedFor, enrolledAt, updatedAt);
  }

  /** The same rollout whose wave met its success threshold now. */
  RolloutRow settled(Instant now) {
    return with(state, wave, waveStartedAt, now, reason, pausedFor, enrolledAt, updatedAt);
  }

  /** The same rollout having looked for devices that joined. */
  RolloutRow enrolled(Instant now) {
    return with(state, wave, waveStartedAt, waveSettledAt, reason, pausedFor, now, updatedAt);
  }

  private RolloutRow with(
      RolloutState to,
      int atWave,
      Instant started,
      Instant settledAt,
      String why,
      PausedFor kind,
      Instant lookedForDevices,
      Instant changed) {
    return new RolloutRow(
        id,
        model,
        version,
        selector,
        strategy,
        to,
        atWave,
        waves,
        started,
        settledAt,
        why,
        kind,
        lookedForDevices,
        createdBy,
        createdAt,
        changed);
  }

  boolean lastWave() {
    return wave >= waves - 1;
  }

  String target() {
    return "/api/v1/rollouts/" + id;
  }
}
