package dev.ferry.hub.rollout;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The hub's log line for each move of a rollout: what an operator tailing the log reads. */
class RolloutLogTest {
  private static final Instant NOW = Instant.parse("2026-12-07T06:00:00Z");
  private static final RolloutRow CREATED =
      new RolloutRow(
          new RolloutPlan(
              "r1", "ocr", "2.0.0", "site=a", Strategy.defaults(), 3, "admin", NOW, List.of()),
          RolloutStatus.created(NOW));
  private static final String ROLLOUT = "rollout r1 of ocr 2.0.0";

  @Test
  void line_aWaveStarting_isInformation() {
    RolloutRow first = started(0);
    assertEquals(
        Optional.of(new RolloutLog.Line(false, ROLLOUT + " wave 1 of 3 started")),
        RolloutLog.line(CREATED, first, false));
    assertEquals(
        Optional.of(new RolloutLog.Line(false, ROLLOUT + " wave 2 of 3 started")),
        RolloutLog.line(first, started(1), true));
  }

  @Test
  void line_aStepThatMovedNothing_isNoLine() {
    RolloutRow running = started(1);
    assertEquals(
        Optional.empty(),
        RolloutLog.line(running, running.with(running.status().waiting("x")), true));
  }

  @Test
  void line_aGateThatPausedTheRollout_isAWarningThatSaysWhatToDoNext() {
    RolloutRow running = started(0);
    RolloutRow paused =
        running.with(
            running.status().paused(PausedFor.GATE, "wave 1 of 3: metric gate: slow", NOW));
    assertEquals(
        Optional.of(
            new RolloutLog.Line(
                true,
                ROLLOUT
                    + " paused: wave 1 of 3: metric gate: slow; ferry rollout resume r1 accepts it"
                    + " and starts the next wave, ferry rollout rollback r1 sends its devices back")),
        RolloutLog.line(running, paused, true));
  }

  @Test
  void line_theEnginesRollbackIsAWarning_anOperatorsIsInformation() {
    RolloutRow running = started(0);
    RolloutRow back =
        running.with(running.status().ended(RolloutState.ROLLED_BACK, "wave 1 of 3: bad", NOW));
    assertEquals(
        Optional.of(new RolloutLog.Line(true, ROLLOUT + " rolled back: wave 1 of 3: bad")),
        RolloutLog.line(running, back, true));
    assertEquals(false, RolloutLog.line(running, back, false).orElseThrow().warning());
  }

  @Test
  void line_pausedByAnOperatorAndResumed_namesTheWaveBothTimes() {
    RolloutRow running = started(1);
    RolloutRow paused =
        running.with(running.status().paused(PausedFor.MANUAL, "paused by alice", NOW));
    assertEquals(
        Optional.of(
            new RolloutLog.Line(false, ROLLOUT + " paused at wave 2 of 3 (paused by alice)")),
        RolloutLog.line(running, paused, false));
    assertEquals(
        Optional.of(new RolloutLog.Line(false, ROLLOUT + " resumed: wave 2 of 3")),
        RolloutLog.line(paused, paused.with(paused.status().resumed(NOW)), false));
  }

  @Test
  void line_aWaveDoneWithoutAutoAdvance_namesTheCommandThatGoesOn() {
    RolloutRow running = started(0);
    RolloutRow done =
        running.with(
            running
                .status()
                .paused(PausedFor.WAVE_DONE, "wave 1 of 3 done; resume to start wave 2", NOW));
    assertEquals(
        Optional.of(
            new RolloutLog.Line(
                false,
                ROLLOUT + ": wave 1 of 3 done; resume to start wave 2 (ferry rollout resume r1)")),
        RolloutLog.line(running, done, true));
  }

  @Test
  void line_theEnds() {
    RolloutRow last = started(2);
    assertEquals(
        Optional.of(new RolloutLog.Line(false, ROLLOUT + " succeeded after wave 3 of 3")),
        RolloutLog.line(
            last, last.with(last.status().ended(RolloutState.SUCCEEDED, null, NOW)), true));
    assertEquals(
        Optional.of(new RolloutLog.Line(true, ROLLOUT + " failed: wave 3 of 3: 2 of 2 failed")),
        RolloutLog.line(
            last,
            last.with(last.status().ended(RolloutState.FAILED, "wave 3 of 3: 2 of 2 failed", NOW)),
            true));
    assertEquals(
        Optional.of(
            new RolloutLog.Line(false, ROLLOUT + " cancelled at wave 3 of 3 (cancelled by bob)")),
        RolloutLog.line(
            last,
            last.with(last.status().ended(RolloutState.CANCELLED, "cancelled by bob", NOW)),
            false));
  }

  private static RolloutRow started(int wave) {
    return CREATED.with(CREATED.status().startingWave(wave, NOW));
  }
}
