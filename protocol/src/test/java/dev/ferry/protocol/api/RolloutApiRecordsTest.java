package dev.ferry.protocol.api;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ferry.protocol.device.LatencyHistogram;
import dev.ferry.protocol.testing.RecordContract;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Every record of the rollout API: JSON round trip, unknown fields ignored, a wrong type named. */
class RolloutApiRecordsTest extends RecordContract {
  private static final Instant AT = Instant.parse("2026-05-01T10:00:00.123Z");

  static MetricGates gates() {
    return new MetricGates(0.05, 1.5, 40L);
  }

  static RolloutStrategy strategy() {
    return new RolloutStrategy(
        List.of("1", "10%", "100%"), 0.9, 0.1, "rollback", gates(), 60L, false, AT, true);
  }

  static RolloutRequest request() {
    return new RolloutRequest("det", "1.0.0", List.of("dev-1", "dev-2"), null, strategy());
  }

  static WaveProgress wave() {
    return new WaveProgress(1, 3, counts());
  }

  static DeviceInRollout device() {
    return new DeviceInRollout("dev-1", 1, "FAILED", "0.9.0", null, "GOLDEN_MISMATCH: x", AT);
  }

  static ServedMetrics served() {
    return ServedMetrics.of(
        "1.0.0",
        "CPU",
        "fp16-cpu",
        200,
        3,
        new LatencyHistogram(List.of(1.0, 5.0), List.of(150L, 50L, 0L)));
  }

  static InterfaceChange interfaceChange() {
    return new InterfaceChange("1.4.0", 12, List.of("output 'y' is gone"));
  }

  static Rollout rollout() {
    return new Rollout(
        "3f2a",
        "det",
        "1.0.0",
        "site=berlin",
        strategy(),
        "PAUSED",
        1,
        2,
        "wave 1 of 2: 1 of 3 devices failed",
        counts(),
        List.of(wave()),
        List.of(device()),
        List.of(served()),
        List.of(interfaceChange()),
        "alice",
        AT,
        AT.plusSeconds(5));
  }

  private static Map<String, Integer> counts() {
    Map<String, Integer> counts = new LinkedHashMap<>();
    counts.put("ACTIVE", 2);
    counts.put("FAILED", 1);
    return counts;
  }

  static List<Case> cases() {
    return List.of(
        new Case(
            request(),
            "devices",
            text("dev-1"),
            "RolloutRequest: devices must be an array, got the string 'dev-1'"),
        new Case(
            strategy(),
            "successThreshold",
            text("most"),
            "RolloutStrategy: successThreshold must be a number, got the string 'most'"),
        new Case(
            strategy(),
            "prefetch",
            text("yes"),
            "RolloutStrategy: prefetch must be a boolean, got the string 'yes'"),
        new Case(
            gates(),
            "minRequests",
            JSON.getNodeFactory().numberNode(1.5),
            "MetricGates: minRequests must be an integer, got 1.5"),
        new Case(
            rollout(), "wave", text("1"), "Rollout: wave must be an integer, got the string '1'"),
        new Case(
            wave(), "progress", array(), "WaveProgress: progress must be an object, got an array"),
        new Case(
            device(),
            "updatedAt",
            text("later"),
            "DeviceInRollout: updatedAt must be an RFC 3339 timestamp, got 'later'"),
        new Case(
            served(),
            "requests",
            text("many"),
            "ServedMetrics: requests must be an integer, got the string 'many'"),
        new Case(
            interfaceChange(),
            "changes",
            text("all"),
            "InterfaceChange: changes must be an array, got the string 'all'"));
  }

  @Test
  void request_keepsANullDeviceForTheHubToName() {
    RolloutRequest request =
        CODEC.decode(
            "{\"model\":\"m\",\"version\":\"1\",\"devices\":[null]}".getBytes(UTF_8),
            RolloutRequest.class);
    assertEquals(1, request.devices().size());
    assertEquals(null, request.devices().get(0));
    assertEquals(null, request.strategy());
  }

  @Test
  void rollout_keepsTheOrderOfItsStates() {
    Map<String, Integer> counts = new LinkedHashMap<>();
    for (String state : List.of("WAITING", "ASSIGNED", "ACTIVE", "FAILED", "REVERTED")) {
      counts.put(state, 1);
    }
    assertEquals(
        List.copyOf(counts.keySet()),
        List.copyOf(new WaveProgress(1, 5, counts).progress().keySet()));
  }

  @Test
  void served_computesTheRateAndP99_andLeavesOutWhatDoesNotExist() {
    ServedMetrics served = served();
    assertEquals(0.015, served.errorRate());
    assertEquals(5.0, served.p99Millis());
    ServedMetrics none = ServedMetrics.of("1.0.0", "CPU", null, 0, 0, LatencyHistogram.empty());
    assertEquals(0.0, none.errorRate());
    assertEquals(null, none.p99Millis());
    assertEquals(
        "{\"version\":\"1.0.0\",\"provider\":\"CPU\",\"requests\":0,\"errors\":0,"
            + "\"errorRate\":0.0}",
        new String(CODEC.encode(none), UTF_8));
  }

  /** ApiRecordsTest checks that these cases and its own cover every record of the package. */
  @Test
  void cases_coverTheEightRolloutRecords() {
    assertEquals(8, cases().stream().map(c -> c.sample().getClass()).distinct().count());
  }
}
