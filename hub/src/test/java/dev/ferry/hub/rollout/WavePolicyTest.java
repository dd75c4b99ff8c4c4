package dev.ferry.hub.rollout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.ferry.hub.telemetry.RolloutMetrics.ServedOn;
import dev.ferry.hub.telemetry.RolloutMetrics.Totals;
import dev.ferry.protocol.api.MetricGates;
import dev.ferry.protocol.api.RolloutStrategy;
import dev.ferry.protocol.device.LatencyHistogram;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The verdict on a running wave, from counts, strategy, metrics and the time: no Quarkus. */
class WavePolicyTest {
  private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");

  private static Strategy strategy(String onError, Boolean autoAdvance, MetricGates gates) {
    return Strategy.from(
        new RolloutStrategy(
            List.of("1", "100%"), 0.5, 0.25, onError, gates, 60L, autoAdvance, null, null));
  }

  private static Map<DeviceProgress, Integer> counts(Object... stateThenCount) {
    Map<DeviceProgress, Integer> counts = new EnumMap<>(DeviceProgress.class);
    for (int i = 0; i < stateThenCount.length; i += 2) {
      counts.put((DeviceProgress) stateThenCount[i], (Integer) stateThenCount[i + 1]);
    }
    return counts;
  }

  private static Verdict judge(Strategy strategy, int wave, Map<DeviceProgress, Integer> counts) {
    return WavePolicy.judge(new WaveFacts("2.0.0", strategy, wave, 2, counts, null, Map.of()), NOW);
  }

  /** What the devices served, by version, all on CPU. */
  private static Verdict gated(Instant settledAt, Map<String, Totals> metrics) {
    Strategy strategy = strategy("rollback", null, new MetricGates(0.05, null, 40L));
    Map<DeviceProgress, Integer> counts = counts(DeviceProgress.ACTIVE, 1);
    Map<ServedOn, Totals> onCpu = new java.util.HashMap<>();
    metrics.forEach((version, totals) -> onCpu.put(new ServedOn(version, "CPU", ""), totals));
    return WavePolicy.judge(new WaveFacts("2.0.0", strategy, 0, 2, counts, settledAt, onCpu), NOW);
  }

  private static Totals served(long requests, long errors) {
    return new Totals(requests, errors, LatencyHistogram.empty());
  }

  @Test
  void failuresAboveTheErrorThreshold_actByOnError() {
    Map<DeviceProgress, Integer> counts =
        counts(DeviceProgress.FAILED, 1, DeviceProgress.ROLLED_BACK, 1, DeviceProgress.ACTIVE, 2);
    Verdict paused = judge(strategy(null, null, null), 0, counts);
    assertEquals(Verdict.Kind.PAUSE, paused.kind());
    assertEquals(PausedFor.ERRORS, paused.pausedFor());
    assertEquals(
        "wave 1 of 2: 2 of 4 devices failed or rolled back, above the error threshold of 0.25",
        paused.reason());
    assertEquals(Verdict.Kind.ROLL_BACK, judge(strategy("rollback", null, null), 0, counts).kind());
    assertEquals(Verdict.Kind.FAIL, judge(strategy("fail", null, null), 0, counts).kind());
  }

  @Test
  void belowTheSuccessThreshold_waitsSayingHowManyAreNeeded() {
    Verdict verdict =
        judge(
            strategy(null, null, null),
            1,
            counts(DeviceProgress.ACTIVE, 1, DeviceProgress.ASSIGNED, 2, DeviceProgress.FAILED, 0));
    assertEquals(Verdict.waiting("wave 2 of 2: 1 of 3 devices ACTIVE, 2 needed", null), verdict);
  }

  @Test
  void supersededAndRevertedDevices_countNeitherWay() {
    Verdict verdict =
        judge(
            strategy(null, null, null),
            0,
            counts(
                DeviceProgress.ACTIVE,
                1,
                DeviceProgress.SUPERSEDED,
                5,
                DeviceProgress.REVERTED,
                5));
    assertEquals(Verdict.Kind.PROMOTE, verdict.kind());
  }

  @Test
  void aWaveThatPassed_promotesSucceedsOrPausesForAResume() {
    Map<DeviceProgress, Integer> counts = counts(DeviceProgress.ACTIVE, 2);
    assertEquals(Verdict.promote(null), judge(strategy(null, null, null), 0, counts));
    assertEquals(Verdict.succeed(null), judge(strategy(null, null, null), 1, counts));
    assertEquals(
        Verdict.pause(PausedFor.WAVE_DONE, "wave 1 of 2 done; resume to start wave 2", null),
        judge(strategy(null, false, null), 0, counts));
  }

  @Test
  void metricGates_settleTheWaveNowAndWaitOutTheProbation() {
    assertEquals(
        Verdict.waiting("wave 1 of 2: in probation until 2026-03-01T12:01:00Z", NOW),
        gated(null, Map.of()));
  }

  @Test
  void metricGates_waitForEnoughRequestsOfTheNewVersion() {
    Instant settled = NOW.minusSeconds(61);
    Verdict verdict = gated(settled, Map.of("2.0.0", served(10, 0)));
    assertEquals(Verdict.Kind.WAIT, verdict.kind());
    assertEquals(
        "wave 1 of 2: metric gates wait for 40 requests served by 2.0.0, 10 so far",
        verdict.reason());
    assertEquals(settled, verdict.settledAt());
  }

  @Test
  void metricGates_aWorseErrorRateTripsTheGate_andOnErrorActs() {
    Verdict verdict =
        gated(NOW.minusSeconds(61), Map.of("2.0.0", served(100, 40), "1.0.0", served(100, 0)));
    assertEquals(Verdict.Kind.ROLL_BACK, verdict.kind());
    assertEquals(
        "wave 1 of 2: metric gate: error rate of 2.0.0 is 40.00% (40 of 100 requests), the"
            + " previous version's 0.00% on the same devices; at most 5.00 points more are allowed",
        verdict.reason());
  }

  @Test
  void metricGates_aVersionAsGoodAsThePreviousPasses() {
    Instant settled = NOW.minusSeconds(61);
    Verdict verdict = gated(settled, Map.of("2.0.0", served(100, 1), "1.0.0", served(100, 1)));
    assertEquals(Verdict.promote(settled), verdict);
    assertNull(verdict.reason());
  }
}
