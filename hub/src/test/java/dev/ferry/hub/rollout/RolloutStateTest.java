package dev.ferry.hub.rollout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The rollout state machine: its table of moves and the status changes that use it. */
class RolloutStateTest {
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  private static final Instant T1 = T0.plusSeconds(60);

  @Test
  void operatorActions_areAllowedFromTheStatesTheApiNames() {
    assertEquals(
        List.of(RolloutState.CREATED, RolloutState.RUNNING),
        RolloutState.where(RolloutState::canPause));
    assertEquals(List.of(RolloutState.PAUSED), RolloutState.where(RolloutState::canResume));
    assertEquals(
        List.of(
            RolloutState.CREATED,
            RolloutState.RUNNING,
            RolloutState.PAUSED,
            RolloutState.SUCCEEDED),
        RolloutState.where(RolloutState::canCancel));
    assertEquals(
        List.of(
            RolloutState.RUNNING,
            RolloutState.PAUSED,
            RolloutState.SUCCEEDED,
            RolloutState.FAILED,
            RolloutState.CANCELLED),
        RolloutState.where(RolloutState::canRollBack));
  }

  @Test
  void live_isEveryStateTheEngineStillSteps() {
    assertEquals(
        List.of(
            RolloutState.CREATED,
            RolloutState.RUNNING,
            RolloutState.PAUSED,
            RolloutState.SUCCEEDED),
        RolloutState.LIVE);
  }

  @Test
  void rolledBack_isTheEndOfEveryRoad() {
    for (RolloutState next : RolloutState.values()) {
      assertFalse(RolloutState.ROLLED_BACK.canMoveTo(next), next.name());
    }
    assertEquals(7, RolloutState.values().length);
  }

  @Test
  void moveTo_refusesAMoveTheTableLacks() {
    var error =
        assertThrows(
            IllegalStateException.class, () -> RolloutState.SUCCEEDED.moveTo(RolloutState.RUNNING));
    assertEquals("a rollout cannot move from SUCCEEDED to RUNNING", error.getMessage());
  }

  @Test
  void startingWave_clearsTheLastWavesReasonAndSettling() {
    RolloutStatus waiting = RolloutStatus.created(T0).startingWave(0, T0).settled(T0).waiting("x");
    RolloutStatus next = waiting.startingWave(1, T1);
    assertEquals(RolloutState.RUNNING, next.state());
    assertEquals(1, next.wave());
    assertEquals(T1, next.waveStartedAt());
    assertNull(next.waveSettledAt());
    assertNull(next.reason());
    assertEquals(T1, next.updatedAt());
  }

  @Test
  void resumedAfterAManualPause_returnsToTheSameWaveOrToWaitingForTheStart() {
    RolloutStatus created = RolloutStatus.created(T0);
    assertEquals(
        RolloutState.CREATED,
        created.paused(PausedFor.MANUAL, "paused by a", T0).resumed(T1).state());
    RolloutStatus running = created.startingWave(0, T0).startingWave(2, T0);
    RolloutStatus resumed = running.paused(PausedFor.MANUAL, "paused by a", T0).resumed(T1);
    assertEquals(RolloutState.RUNNING, resumed.state());
    assertEquals(2, resumed.wave());
    assertNull(resumed.pausedFor());
    assertNull(resumed.reason());
  }

  @Test
  void paused_keepsWhatItWaitsForAndWhy() {
    RolloutStatus paused =
        RolloutStatus.created(T0).startingWave(0, T0).paused(PausedFor.GATE, "gate", T1);
    assertEquals(RolloutState.PAUSED, paused.state());
    assertEquals(PausedFor.GATE, paused.pausedFor());
    assertEquals("gate", paused.reason());
    assertTrue(paused.state().canResume());
  }

  @Test
  void ended_refusesToLeaveAnEnd() {
    RolloutStatus cancelled =
        RolloutStatus.created(T0).ended(RolloutState.CANCELLED, "cancelled by a", T1);
    assertThrows(IllegalStateException.class, () -> cancelled.startingWave(0, T1));
    assertEquals(
        RolloutState.ROLLED_BACK, cancelled.ended(RolloutState.ROLLED_BACK, "back", T1).state());
  }
}
