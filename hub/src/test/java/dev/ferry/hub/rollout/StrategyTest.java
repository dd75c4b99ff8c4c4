package dev.ferry.hub.rollout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.protocol.api.MetricGates;
import dev.ferry.protocol.api.RolloutStrategy;
import dev.ferry.protocol.json.FieldException;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The checked strategy: defaults, the request's fields, and the rules that name a bad field. */
class StrategyTest {
  private static RolloutStrategy only(List<String> waves, String onError, MetricGates gates) {
    return new RolloutStrategy(waves, null, null, onError, gates, null, null, null, null);
  }

  @Test
  void defaults_areOneWaveAllActivePauseOnAFailureNowNoPrefetch() {
    RolloutStrategy shown = Strategy.defaults().toWire();
    assertEquals(
        new RolloutStrategy(List.of("100%"), 1.0, 0.0, "pause", null, 0L, true, null, false),
        shown);
    assertEquals(Strategy.defaults(), Strategy.from(null));
    assertEquals(Strategy.defaults(), Strategy.from(only(null, null, null)));
    assertEquals(Strategy.defaults(), Strategy.from(only(List.of(), null, null)));
  }

  @Test
  void from_keepsWhatTheRequestSays_andShowsTheActionInLowerCase() {
    Instant start = Instant.parse("2026-06-01T00:00:00Z");
    RolloutStrategy wire =
        new RolloutStrategy(
            List.of("1", "50%"),
            0.9,
            0.2,
            "ROLLBACK",
            new MetricGates(0.01, null, null),
            30L,
            false,
            start,
            true);
    Strategy strategy = Strategy.from(wire);
    assertEquals(Strategy.OnError.ROLLBACK, strategy.onError());
    assertEquals(100, strategy.metricGates().minRequests());
    assertEquals(
        new RolloutStrategy(
            List.of("1", "50%"),
            0.9,
            0.2,
            "rollback",
            new MetricGates(0.01, null, 100L),
            30L,
            false,
            start,
            true),
        strategy.toWire());
    assertEquals(strategy, Strategy.from(strategy.toWire()));
  }

  @Test
  void prefetch_isKeptWhenSet_andFalseWhenAbsent() {
    RolloutStrategy on = new RolloutStrategy(null, null, null, null, null, null, null, null, true);
    assertTrue(Strategy.from(on).prefetch());
    assertEquals(true, Strategy.from(on).toWire().prefetch());
    assertEquals(Strategy.from(on), Strategy.from(Strategy.from(on).toWire()));
    RolloutStrategy off =
        new RolloutStrategy(null, null, null, null, null, null, null, null, false);
    assertEquals(Strategy.defaults(), Strategy.from(off));
    assertFalse(Strategy.from(only(List.of("1", "100%"), null, null)).prefetch());
  }

  @Test
  void waveEnds_roundSharesUpAndLetTheLastWaveTakeTheRest() {
    Strategy strategy = Strategy.from(only(List.of("1", "10%", "50%"), null, null));
    assertEquals(List.of(1, 2, 6, 12), strategy.waveEnds(12));
    assertEquals(
        List.of(1, 5, 10), strategy.waveEnds(10), "a wave that adds no device is left out");
    assertEquals(List.of(1), strategy.waveEnds(1));
  }

  @Test
  void from_namesTheBrokenRule() {
    assertEquals(
        "strategy.waves[1] must reach beyond the wave before it, got '5%'",
        message(only(List.of("10%", "5%"), null, null)));
    assertEquals(
        "strategy.onError must be pause, rollback or fail, got 'explode'",
        message(only(null, "explode", null)));
    assertEquals(
        "strategy.metricGates must set maxErrorRateIncrease or maxLatencyP99Ratio",
        message(only(null, null, new MetricGates(null, null, 5L))));
    assertEquals(
        "strategy.metricGates.minRequests must be at least 1, got 0",
        message(only(null, null, new MetricGates(0.1, null, 0L))));
    assertEquals(
        "strategy.errorThreshold must be between 0 and 1, got -0.5",
        message(new RolloutStrategy(null, null, -0.5, null, null, null, null, null, null)));
  }

  @Test
  void gates_areOptional() {
    assertNull(Strategy.from(only(List.of("5"), "fail", null)).metricGates());
  }

  private static String message(RolloutStrategy wire) {
    return assertThrows(FieldException.class, () -> Strategy.from(wire)).getMessage();
  }
}
