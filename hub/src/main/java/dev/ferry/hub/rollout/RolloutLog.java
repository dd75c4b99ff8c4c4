package dev.ferry.hub.rollout;

import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * The hub's log lines for a rollout's moves, written after the commit that made them: a wave
 * started, a pause, an end. The engine's own stops (a tripped gate or threshold, a failure, a
 * rollback) are warnings an operator must act on; what an operator did, and the rest, is
 * information. The audit log keeps the same moves for the API.
 */
final class RolloutLog {
  private static final Logger LOG = Logger.getLogger(RolloutLog.class);

  /** A line to log, at warning level or not. */
  record Line(boolean warning, String text) {}

  private RolloutLog() {}

  /**
   * Logs a rollout's move, if it moved.
   *
   * @param before the rollout as it was claimed or locked
   * @param after the rollout as committed
   * @param byEngine whether the engine moved it, not an operator's call
   */
  static void moved(RolloutRow before, RolloutRow after, boolean byEngine) {
    line(before, after, byEngine)
        .ifPresent(
            line -> {
              if (line.warning()) {
                LOG.warn(line.text());
              } else {
                LOG.info(line.text());
              }
            });
  }

  /** The line for a move; empty when neither the state nor the wave changed. */
  static Optional<Line> line(RolloutRow before, RolloutRow after, boolean byEngine) {
    RolloutState state = after.state();
    boolean newWave = state == RolloutState.RUNNING && after.wave() != before.wave();
    if (state == before.state() && !newWave) {
      return Optional.empty();
    }
    String rollout = "rollout " + after.id() + " of " + after.model() + " " + after.version();
    String wave = "wave " + (after.wave() + 1) + " of " + after.waves();
    String reason = after.status().reason();
    String resumed = before.state() == RolloutState.PAUSED ? " resumed:" : "";
    return Optional.of(
        switch (state) {
          case CREATED -> new Line(false, rollout + resumed + " waits for its start time");
          case RUNNING ->
              new Line(
                  false,
                  rollout
                      + resumed
                      + " "
                      + wave
                      + (newWave || before.state() == RolloutState.CREATED ? " started" : ""));
          case PAUSED -> paused(rollout, wave, after, byEngine);
          case SUCCEEDED -> new Line(false, rollout + " succeeded after " + wave);
          case FAILED -> new Line(byEngine, rollout + " failed: " + reason);
          case ROLLED_BACK -> new Line(byEngine, rollout + " rolled back: " + reason);
          case CANCELLED ->
              new Line(false, rollout + " cancelled at " + wave + " (" + reason + ")");
        });
  }

  private static Line paused(String rollout, String wave, RolloutRow after, boolean byEngine) {
    String reason = after.status().reason();
    String resume = "ferry rollout resume " + after.id();
    return switch (after.status().pausedFor()) {
      case MANUAL -> new Line(false, rollout + " paused at " + wave + " (" + reason + ")");
      case WAVE_DONE -> new Line(false, rollout + ": " + reason + " (" + resume + ")");
      case ERRORS, GATE ->
          new Line(
              byEngine,
              rollout
                  + " paused: "
                  + reason
                  + "; "
                  + resume
                  + " accepts it and starts the next wave, ferry rollout rollback "
                  + after.id()
                  + " sends its devices back");
    };
  }
}
