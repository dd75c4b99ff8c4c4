package dev.ferry.hub.rollout;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ferry.hub.telemetry.RolloutMetrics.ServedOn;
import dev.ferry.hub.telemetry.RolloutMetrics.Totals;
import dev.ferry.protocol.device.LatencyHistogram;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Metric gates compare like with like: each provider and each variant on its own. */
class GatesTest {
  private static final Strategy.Gates ERRORS = new Strategy.Gates(0.05, null, 40);
  private static final Strategy.Gates LATENCY = new Strategy.Gates(null, 1.5, 40);

  @Test
  void judge_aWorseVariantOnOneProviderTripsEvenWhenTheSumLooksFine() {
    Map<ServedOn, Totals> served =
        Map.of(
            on("2.0.0", "CUDA"), served(100, 20, 1.0),
            on("1.0.0", "CUDA"), served(100, 0, 1.0),
            on("2.0.0", "CPU"), served(1000, 0, 50.0),
            on("1.0.0", "CPU"), served(1000, 0, 50.0));
    assertEquals(
        new Gates.Verdict(
            null,
            "error rate of 2.0.0 on CUDA is 20.00% (20 of 100 requests), the previous version's"
                + " 0.00% on the same devices; at most 5.00 points more are allowed"),
        Gates.judge(ERRORS, "2.0.0", served));
  }

  @Test
  void judge_latencyOfACpuVariantAgainstTheSameDevicesOnCpuOnly() {
    // summed, the previous version's p99 is that of its many fast CUDA requests (1 ms), and the
    // CPU variant's 50 ms would trip a 1.5 ratio; CPU against CPU it is as fast as before
    Map<ServedOn, Totals> served =
        Map.of(
            on("2.0.0", "CPU"), served(100, 0, 50.0),
            on("1.0.0", "CPU"), served(100, 0, 50.0),
            on("1.0.0", "CUDA"), served(10_000, 0, 1.0));
    assertEquals(new Gates.Verdict(null, null), Gates.judge(LATENCY, "2.0.0", served));
  }

  @Test
  void judge_aSlowerVariantOnItsProviderTrips() {
    Map<ServedOn, Totals> served =
        Map.of(
            on("2.0.0", "CPU"), served(100, 0, 100.0),
            on("1.0.0", "CPU"), served(100, 0, 50.0),
            on("2.0.0", "CUDA"), served(100, 0, 1.0),
            on("1.0.0", "CUDA"), served(100, 0, 1.0));
    assertEquals(
        new Gates.Verdict(
            null,
            "p99 latency of 2.0.0 on CPU is 100.0 ms, the previous version's 50.0 ms on the same"
                + " devices; at most 1.50 times that is allowed"),
        Gates.judge(LATENCY, "2.0.0", served));
  }

  @Test
  void judge_waitsWhileNoProviderHasEnoughRequests_countingThemAll() {
    Map<ServedOn, Totals> served =
        Map.of(on("2.0.0", "CPU"), served(20, 0, 1.0), on("2.0.0", "CUDA"), served(10, 0, 1.0));
    assertEquals(
        new Gates.Verdict("metric gates wait for 40 requests served by 2.0.0, 30 so far", null),
        Gates.judge(ERRORS, "2.0.0", served));
  }

  @Test
  void judge_onOneProviderNamesNoProvider() {
    Map<ServedOn, Totals> served =
        Map.of(on("2.0.0", "CPU"), served(100, 40, 1.0), on("1.0.0", "CPU"), served(100, 0, 1.0));
    assertEquals(
        new Gates.Verdict(
            null,
            "error rate of 2.0.0 is 40.00% (40 of 100 requests), the previous version's 0.00%"
                + " on the same devices; at most 5.00 points more are allowed"),
        Gates.judge(ERRORS, "2.0.0", served));
  }

  @Test
  void judge_aWorseVariantOnTheSameProviderTripsEvenWhenTheSumLooksFine() {
    // summed, 2.0.0 on CPU fails 20 of 1100 (1.8%); its FP16 variant alone fails 20%
    Map<ServedOn, Totals> served =
        Map.of(
            on("2.0.0", "CPU", "fp32-cpu"), served(1000, 0, 5.0),
            on("1.0.0", "CPU", "fp32-cpu"), served(1000, 0, 5.0),
            on("2.0.0", "CPU", "fp16-cpu"), served(100, 20, 5.0),
            on("1.0.0", "CPU", "fp16-cpu"), served(100, 0, 5.0));
    assertEquals(
        new Gates.Verdict(
            null,
            "error rate of 2.0.0 variant fp16-cpu on CPU is 20.00% (20 of 100 requests), the"
                + " previous version's 0.00% on the same devices; at most 5.00 points more are"
                + " allowed"),
        Gates.judge(ERRORS, "2.0.0", served));
  }

  @Test
  void judge_aSlowerVariant_againstThePreviousReleaseOfOneFileOnItsProvider() {
    // 1.0.0 had no variants: each variant of 2.0.0 is compared with all of 1.0.0 on CPU
    Map<ServedOn, Totals> served =
        Map.of(
            on("2.0.0", "CPU", "fp32-cpu"), served(100, 0, 50.0),
            on("2.0.0", "CPU", "fp16-cpu"), served(100, 0, 100.0),
            on("1.0.0", "CPU", ""), served(200, 0, 50.0));
    assertEquals(
        new Gates.Verdict(
            null,
            "p99 latency of 2.0.0 variant fp16-cpu on CPU is 100.0 ms, the previous version's"
                + " 50.0 ms on the same devices; at most 1.50 times that is allowed"),
        Gates.judge(LATENCY, "2.0.0", served));
  }

  @Test
  void judge_aVariantWithTooFewRequestsIsNotJudgedUntilItHasThem() {
    Map<ServedOn, Totals> served =
        Map.of(
            on("2.0.0", "CPU", "fp32-cpu"), served(100, 0, 5.0),
            on("2.0.0", "CPU", "fp16-cpu"), served(39, 39, 5.0),
            on("1.0.0", "CPU", "fp32-cpu"), served(100, 0, 5.0));
    assertEquals(new Gates.Verdict(null, null), Gates.judge(ERRORS, "2.0.0", served));
    Map<ServedOn, Totals> more = new java.util.HashMap<>(served);
    more.put(on("2.0.0", "CPU", "fp16-cpu"), served(40, 40, 5.0));
    assertEquals(
        "error rate of 2.0.0 variant fp16-cpu on CPU is 100.00% (40 of 40 requests), the previous"
            + " version's 0.00% on the same devices; at most 5.00 points more are allowed",
        Gates.judge(ERRORS, "2.0.0", more).breach());
  }

  @Test
  void judge_oneVariantAloneIsNamedWithoutItsProvider() {
    Map<ServedOn, Totals> served =
        Map.of(
            on("2.0.0", "CPU", "fp16-cpu"), served(100, 40, 1.0),
            on("1.0.0", "CPU", "fp16-cpu"), served(100, 0, 1.0));
    assertEquals(
        "error rate of 2.0.0 variant fp16-cpu is 40.00% (40 of 100 requests), the previous"
            + " version's 0.00% on the same devices; at most 5.00 points more are allowed",
        Gates.judge(ERRORS, "2.0.0", served).breach());
  }

  private static ServedOn on(String version, String provider) {
    return on(version, provider, "");
  }

  private static ServedOn on(String version, String provider, String variant) {
    return new ServedOn(version, provider, variant);
  }

  /** Requests all in the latency bucket bounded by {@code millis}. */
  private static Totals served(long requests, long errors, double millis) {
    List<Double> bounds = LatencyHistogram.STANDARD_BOUNDS_MILLIS;
    List<Long> counts = new ArrayList<>(Collections.nCopies(bounds.size() + 1, 0L));
    counts.set(bounds.indexOf(millis), requests);
    return new Totals(requests, errors, new LatencyHistogram(bounds, counts));
  }
}
