package dev.ferry.hub.rollout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.hub.Api;
import dev.ferry.hub.HubTestProfile;
import dev.ferry.hub.LogRecords;
import dev.ferry.protocol.device.DesiredState;
import dev.ferry.protocol.device.ModelStatus;
import dev.ferry.protocol.signing.TrustRoot;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;

/**
 * Metric gates: the canary's new version is judged against the previous version on the rollout's
 * own devices, from their telemetry, after the probation.
 */
@QuarkusTest
@TestProfile(HubTestProfile.class)
class MetricGatesTest {
  private static final String GATED =
      "{\"waves\":[\"1\",\"100%\"],\"probationSeconds\":1,\"onError\":\"rollback\","
          + "\"metricGates\":{\"maxErrorRateIncrease\":0.05,\"minRequests\":40}}";

  /** A strategy of one wave that pauses when a gate trips. */
  private static final String GATED_ONE_WAVE =
      "{\"waves\":[\"100%\"],\"probationSeconds\":1,\"onError\":\"pause\","
          + "\"metricGates\":{\"maxErrorRateIncrease\":0.05,\"minRequests\":40}}";

  /** What a device serves in each batch. */
  private interface Traffic {
    /**
     * Sends one batch.
     *
     * @param device the device
     * @param first whether it is the first of the two devices
     * @param model the model
     * @param version the version it serves now
     */
    void send(FakeDevice device, boolean first, String model, String version) throws Exception;
  }

  /**
   * Two devices on 1.0.0, then a gated rollout of 2.0.0 whose canary serves with this error count.
   */
  private JsonPath run(long canaryErrorsPerBatch, String until) throws Exception {
    return run(
        GATED,
        until,
        (device, first, model, version) ->
            device.sendTelemetry(
                model, version, 20, version.equals("2.0.0") ? canaryErrorsPerBatch : 0));
  }

  /** Two devices on 1.0.0, then a rollout of 2.0.0 with this strategy, until it is in a state. */
  private JsonPath run(String strategy, String until, Traffic traffic) throws Exception {
    String manager = Api.token("release-manager");
    String site = "g" + System.nanoTime();
    String model = RolloutTest.publish("gated" + System.nanoTime(), "1.0.0");
    RolloutTest.publish(model, "2.0.0");
    TrustRoot root = RolloutTest.trustRoot();
    try (FakeDevice a = new FakeDevice(Map.of("site", site));
        FakeDevice b = new FakeDevice(Map.of("site", site))) {
      RolloutTest.awaitDevice(a.id);
      RolloutTest.awaitDevice(b.id);
      RolloutCalls.create(manager, model, "1.0.0", "site=" + site, "null");
      for (FakeDevice device : List.of(a, b)) {
        device.reportOutcome(root, device.next(root), model, ModelStatus.ACTIVE, null);
      }
      String id = RolloutCalls.create(manager, model, "2.0.0", "site=" + site, strategy);
      Map<FakeDevice, String> serving = new java.util.HashMap<>(Map.of(a, "1.0.0", b, "1.0.0"));
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      JsonPath rollout = RolloutCalls.get(id);
      while (!until.equals(rollout.getString("state"))
          || (until.equals("RUNNING") && rollout.getInt("wave") < 2)) {
        assertTrue(System.nanoTime() < deadline, "rollout never got there: " + rollout.prettify());
        for (FakeDevice device : List.of(a, b)) {
          if (!device.desired.isEmpty()) {
            DesiredState state = device.next(root);
            String version = FakeDevice.release(root, state, model).predicate().version();
            device.reportOutcome(root, state, model, ModelStatus.ACTIVE, null);
            serving.put(device, version);
          }
          traffic.send(device, device == a, model, serving.get(device));
        }
        Thread.sleep(250);
        rollout = RolloutCalls.get(id);
      }
      return rollout;
    }
  }

  @Test
  void canaryWithAWorseErrorRate_tripsTheGateAndIsRolledBack_andTheLogSaysSo() throws Exception {
    JsonPath rollout;
    List<LogRecord> logged;
    try (LogRecords records = LogRecords.on(Logger.getLogger(""))) {
      rollout = run(8, "ROLLED_BACK");
      logged = records.all();
    }
    String reason = rollout.getString("reason");
    assertTrue(
        reason.startsWith("wave 1 of 2: metric gate: error rate of 2.0.0 is 40.00%"), reason);
    assertTrue(reason.endsWith("; 1 device sent back to its previous release"), reason);
    assertEquals(1, rollout.getInt("progress.REVERTED"));
    assertEquals(1, rollout.getInt("progress.WAITING"), "the second wave never started");
    String id = rollout.getString("id");
    List<String> lines =
        logged.stream()
            .filter(r -> r.getLoggerName().equals(RolloutLog.class.getName()))
            .filter(r -> r.getMessage().contains(id))
            .map(r -> r.getLevel() + " " + r.getMessage())
            .toList();
    String of = "rollout " + id + " of " + rollout.getString("model") + " 2.0.0";
    assertEquals(
        List.of("INFO " + of + " wave 1 of 2 started", "WARN " + of + " rolled back: " + reason),
        lines);
  }

  @Test
  void canaryAsGoodAsThePreviousVersion_passesAndTheNextWaveStarts() throws Exception {
    JsonPath rollout = run(0, "RUNNING");
    assertEquals(2, rollout.getInt("wave"));
  }

  @Test
  void twoVariantsOfOneVersion_areGatedApart_andTheWorseOneStopsTheWave() throws Exception {
    // fp16-cpu, sent first, fails 40% of its requests and is judged once it has served 40;
    // fp32-cpu fails none (GatesTest shows that a sum would hide the worse variant)
    JsonPath rollout =
        run(
            GATED_ONE_WAVE,
            "PAUSED",
            (device, first, model, version) ->
                device.sendTelemetry(
                    model,
                    version,
                    first ? "fp16-cpu" : "fp32-cpu",
                    first ? 40 : 30,
                    first && version.equals("2.0.0") ? 16 : 0));
    String reason = rollout.getString("reason");
    assertTrue(
        reason.startsWith(
            "wave 1 of 1: metric gate: error rate of 2.0.0 variant fp16-cpu on CPU is 40.00% ("),
        reason);
    assertEquals(
        List.of("fp16-cpu", "fp32-cpu"),
        rollout.getList("metrics.findAll { it.version == '2.0.0' }.variant"),
        "the view shows what each variant served");
    assertEquals(
        List.of(0.4f, 0.0f),
        rollout.getList("metrics.findAll { it.version == '2.0.0' }.errorRate"));
  }

  @Test
  void telemetrySentTheMomentAGatedRolloutStarts_countsTowardIt() throws Exception {
    // the hub caches which devices the gated rollouts watch; a rollout that starts must be seen
    // by the very next batch, not one that comes seconds later (the first requests are lost else)
    String manager = Api.token("release-manager");
    String site = "m" + System.nanoTime();
    String model = RolloutTest.publish("moment" + System.nanoTime(), "1.0.0");
    try (FakeDevice device = new FakeDevice(Map.of("site", site))) {
      RolloutTest.awaitDevice(device.id);
      // telemetry from before the rollout, over the cache's lifetime, so that it was just read
      long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(2500);
      while (System.nanoTime() < until) {
        device.sendTelemetry(model, "0.9.0", 1, 0);
        Thread.sleep(100);
      }
      String id =
          RolloutCalls.create(
              manager,
              model,
              "1.0.0",
              "site=" + site,
              "{\"waves\":[\"100%\"],\"probationSeconds\":1,"
                  + "\"metricGates\":{\"maxErrorRateIncrease\":0.05,\"minRequests\":1000}}");
      device.sendTelemetry(model, "1.0.0", 20, 0);
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      JsonPath rollout = RolloutCalls.get(id);
      while (rollout.getList("metrics.findAll { it.version == '1.0.0' }.requests").isEmpty()) {
        assertTrue(System.nanoTime() < deadline, "the batch never counted: " + rollout.prettify());
        Thread.sleep(100);
        rollout = RolloutCalls.get(id);
      }
      assertEquals(
          List.of(20), rollout.getList("metrics.findAll { it.version == '1.0.0' }.requests"));
    }
  }
}
