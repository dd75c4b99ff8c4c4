package dev.ferry.hub.rollout;

import java.time.Instant;

/**
 * A rollout as stored: what it is and where it stands.
 *
 * @param plan what it is
 * @param status where it stands
 */
record RolloutRow(RolloutPlan plan, RolloutStatus status) {

  /** The same rollout, standing somewhere else. */
  RolloutRow with(RolloutStatus next) {
    return new RolloutRow(plan, next);
  }

  String id() {
    return plan.id();
  }

  String model() {
    return plan.model();
  }

  String version() {
    return plan.version();
  }

  String selector() {
    return plan.selector();
  }

  Strategy strategy() {
    return plan.strategy();
  }

  int waves() {
    return plan.waves();
  }

  Instant createdAt() {
    return plan.createdAt();
  }

  RolloutState state() {
    return status.state();
  }

  int wave() {
    return status.wave();
  }

  /**
   * Whether its WAITING devices prefetch its release: its strategy says so, a wave has started and
   * it has not ended ({@link DesiredStates} reads the same from the database).
   */
  boolean prefetching() {
    return strategy().prefetch() && state().prefetches() && status.waveStartedAt() != null;
  }

  boolean lastWave() {
    return wave() >= waves() - 1;
  }

  /** The audit log's target: the rollout's API path. */
  String target() {
    return "/api/v1/rollouts/" + id();
  }
}
