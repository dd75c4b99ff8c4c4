package dev.ferry.hub.rollout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.hub.Api;
import dev.ferry.hub.HubTestProfile;
import dev.ferry.protocol.device.DesiredState;
import dev.ferry.protocol.device.ModelStatus;
import dev.ferry.protocol.signing.TrustRoot;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
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

  /**
   * Two devices on 1.0.0, then a gated rollout of 2.0.0 whose canary serves with this error count.
   */
  private JsonPath run(long canaryErrorsPerBatch, String until) throws Exception {
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
      String id = RolloutCalls.create(manager, model, "2.0.0", "site=" + site, GATED);
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
          String version = serving.get(device);
          device.sendTelemetry(
              model, version, 20, version.equals("2.0.0") ? canaryErrorsPerBatch : 0);
        }
        Thread.sleep(250);
        rollout = RolloutCalls.get(id);
      }
      return rollout;
    }
  }

  @Test
  void canaryWithAWorseErrorRate_tripsTheGateAndIsRolledBack() throws Exception {
    JsonPath rollout = run(8, "ROLLED_BACK");
    String reason = rollout.getString("reason");
    assertTrue(
        reason.startsWith("wave 1 of 2: metric gate: error rate of 2.0.0 is 40.00%"), reason);
    assertTrue(reason.endsWith("1 devices sent back to their previous release"), reason);
    assertEquals(1, rollout.getInt("progress.REVERTED"));
    assertEquals(1, rollout.getInt("progress.WAITING"), "the second wave never started");
  }

  @Test
  void canaryAsGoodAsThePreviousVersion_passesAndTheNextWaveStarts() throws Exception {
    JsonPath rollout = run(0, "RUNNING");
    assertEquals(2, rollout.getInt("wave"));
  }
}
