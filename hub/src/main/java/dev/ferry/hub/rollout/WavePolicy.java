package dev.ferry.hub.rollout;

import java.time.Instant;

/**
 * Judges a running wave: past its error threshold, it acts by the strategy's {@code onError}; below
 * its success threshold, it waits; with metric gates, it waits out the probation and then judges
 * the new version against the previous one; then it promotes the next wave, succeeds after the
 * last, or pauses for a resume without {@code autoAdvance}. Pure: no database, no clock.
 */
final class WavePolicy {
  private WavePolicy() {}

  /**
   * The verdict on a wave.
   *
   * @param w the wave's facts
   * @param now the current time
   * @return what the engine does
   */
  static Verdict judge(WaveFacts w, Instant now) {
    if (w.total() > 0 && (double) w.failed() / w.total() > w.strategy().errorThreshold()) {
      return tooManyFailed(w);
    }
    int needed = (int) Math.ceil(w.strategy().successThreshold() * w.total() - 1e-9);
    if (w.active() < needed) {
      String why = w.active() + " of " + w.total() + " devices ACTIVE, " + needed + " needed";
      return Verdict.waiting(w.name() + ": " + why, w.settledAt());
    }
    return w.strategy().metricGates() == null ? done(w, w.settledAt()) : gated(w, now);
  }

  private static Verdict tooManyFailed(WaveFacts w) {
    String why =
        w.name()
            + ": "
            + w.failed()
            + " of "
            + w.total()
            + " devices failed or rolled back, above the error threshold of "
            + w.strategy().errorThreshold();
    return Verdict.onError(w.strategy().onError(), PausedFor.ERRORS, why, w.settledAt());
  }

  /** A wave past its success threshold with metric gates: probation first, then the gates. */
  private static Verdict gated(WaveFacts w, Instant now) {
    Instant settled = w.settledAt() == null ? now : w.settledAt();
    Instant judged = settled.plusSeconds(w.strategy().probationSeconds());
    if (now.isBefore(judged)) {
      return Verdict.waiting(w.name() + ": in probation until " + judged, settled);
    }
    Gates.Verdict gates = Gates.judge(w.strategy().metricGates(), w.version(), w.metrics());
    if (gates.waiting() != null) {
      return Verdict.waiting(w.name() + ": " + gates.waiting(), settled);
    }
    if (gates.breach() != null) {
      String why = w.name() + ": metric gate: " + gates.breach();
      return Verdict.onError(w.strategy().onError(), PausedFor.GATE, why, settled);
    }
    return done(w, settled);
  }

  /** A wave that passed: the rollout succeeds after the last, else the next wave starts. */
  private static Verdict done(WaveFacts w, Instant settled) {
    if (w.lastWave()) {
      return Verdict.succeed(settled);
    }
    if (w.strategy().autoAdvance()) {
      return Verdict.promote(settled);
    }
    String why = w.name() + " done; resume to start wave " + (w.wave() + 2);
    return Verdict.pause(PausedFor.WAVE_DONE, why, settled);
  }
}
