package dev.ferry.hub.rollout;

import java.util.Arrays;
import java.util.List;
import java.util.function.Predicate;

/**
 * Where a rollout stands, and the one table of the moves between states: every change of a
 * rollout's state goes through {@link #moveTo}.
 */
public enum RolloutState {
  /** Waiting for its start time. */
  CREATED,
  /** A wave is under way. */
  RUNNING,
  /** Stopped by an operator, an error threshold, a metric gate, or at a wave's end. */
  PAUSED,
  /** Every wave met its success threshold (devices that join later still receive it). */
  SUCCEEDED,
  /** Stopped for good by an error threshold with {@code onError: fail}. */
  FAILED,
  /** Every device it touched was sent back to its previous release. */
  ROLLED_BACK,
  /** Stopped by an operator, or by the revocation of its release; devices keep what they have. */
  CANCELLED;

  /** The states the engine still looks at: starts, waves, devices that join later. */
  static final List<RolloutState> LIVE = where(RolloutState::live);

  /** The states in which a started rollout that prefetches has its waiting devices prefetch. */
  static final List<RolloutState> PREFETCHING = where(RolloutState::prefetches);

  /** Whether the engine still looks at it: starts, waves, devices that join later. */
  boolean live() {
    return this == CREATED || this == RUNNING || this == PAUSED || this == SUCCEEDED;
  }

  /**
   * Whether the waiting devices of a started rollout that prefetches fetch its release ahead: while
   * it runs or is paused, not once it ended.
   */
  boolean prefetches() {
    return this == RUNNING || this == PAUSED;
  }

  /**
   * Whether a rollout in this state may move to another: a wave starts (again RUNNING for the next
   * one), pauses, ends, is cancelled or rolled back; a paused rollout resumes to where it was.
   */
  boolean canMoveTo(RolloutState next) {
    return switch (this) {
      case CREATED -> next == RUNNING || next == PAUSED || next == CANCELLED;
      case RUNNING -> next != CREATED;
      case PAUSED -> next != PAUSED && next != FAILED;
      // a succeeded rollout still enrolls devices that join later: cancelling stops that
      case SUCCEEDED -> next == CANCELLED || next == ROLLED_BACK;
      case FAILED, CANCELLED -> next == ROLLED_BACK;
      case ROLLED_BACK -> false;
    };
  }

  /**
   * The state after a move.
   *
   * @throws IllegalStateException if the table has no such move: a bug in the caller, which checks
   *     an operator's request with {@link #canMoveTo} first
   */
  RolloutState moveTo(RolloutState next) {
    if (!canMoveTo(next)) {
      throw new IllegalStateException("a rollout cannot move from " + this + " to " + next);
    }
    return next;
  }

  /** Whether an operator may pause it. */
  boolean canPause() {
    return canMoveTo(PAUSED);
  }

  /** Whether an operator may resume it. */
  boolean canResume() {
    return this == PAUSED;
  }

  /** Whether an operator may cancel it. */
  boolean canCancel() {
    return canMoveTo(CANCELLED);
  }

  /** Whether an operator may roll it back. */
  boolean canRollBack() {
    return canMoveTo(ROLLED_BACK);
  }

  /** The states that pass a test, in declaration order. */
  static List<RolloutState> where(Predicate<RolloutState> test) {
    return Arrays.stream(values()).filter(test).toList();
  }
}
