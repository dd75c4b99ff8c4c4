package dev.ferry.hub.rollout;

import java.time.Instant;

/**
 * What the {@link WavePolicy} decided for a running wave, for the engine to carry out.
 *
 * @param kind what to do
 * @param reason why, as the rollout shows it; null when it promotes or succeeds
 * @param pausedFor what a pause waits for; null unless it pauses
 * @param settledAt when the wave first met its success threshold, or null
 */
record Verdict(Kind kind, String reason, PausedFor pausedFor, Instant settledAt) {

  /** What the engine does. */
  enum Kind {
    /** Nothing yet; the reason tells what the wave waits for. */
    WAIT,
    /** Start the next wave. */
    PROMOTE,
    /** The last wave is done: the rollout succeeded. */
    SUCCEED,
    /** Pause until an operator resumes. */
    PAUSE,
    /** Stop for good as FAILED. */
    FAIL,
    /** Send every device the rollout touched back to its previous release. */
    ROLL_BACK
  }

  static Verdict waiting(String reason, Instant settledAt) {
    return new Verdict(Kind.WAIT, reason, null, settledAt);
  }

  static Verdict promote(Instant settledAt) {
    return new Verdict(Kind.PROMOTE, null, null, settledAt);
  }

  static Verdict succeed(Instant settledAt) {
    return new Verdict(Kind.SUCCEED, null, null, settledAt);
  }

  static Verdict pause(PausedFor kind, String reason, Instant settledAt) {
    return new Verdict(Kind.PAUSE, reason, kind, settledAt);
  }

  /** What the strategy's error action says for a wave past its threshold or a tripped gate. */
  static Verdict onError(
      Strategy.OnError action, PausedFor kind, String reason, Instant settledAt) {
    return switch (action) {
      case PAUSE -> pause(kind, reason, settledAt);
      case FAIL -> new Verdict(Kind.FAIL, reason, null, settledAt);
      case ROLLBACK -> new Verdict(Kind.ROLL_BACK, reason, null, settledAt);
    };
  }
}
