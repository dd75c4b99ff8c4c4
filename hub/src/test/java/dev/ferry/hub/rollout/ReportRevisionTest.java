package dev.ferry.hub.rollout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.hub.Api;
import dev.ferry.hub.HubTestProfile;
import dev.ferry.hub.db.Database;
import dev.ferry.hub.db.Jdbc;
import dev.ferry.protocol.device.DesiredState;
import dev.ferry.protocol.device.ModelStatus;
import dev.ferry.protocol.signing.TrustRoot;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.LongPredicate;
import org.junit.jupiter.api.Test;

/**
 * A rollout reads each device report once: while a wave is open its ACTIVE devices are not read and
 * decoded again on every step, only when they report anew.
 */
@QuarkusTest
@TestProfile(HubTestProfile.class)
class ReportRevisionTest {
  @Inject Database db;

  @Test
  void aReportIsReadOnceUntilTheDeviceReportsAgain() throws Exception {
    String site = "rev" + System.nanoTime();
    String model = RolloutTest.publish("rev" + System.nanoTime(), "1.0.0");
    TrustRoot root = RolloutTest.trustRoot();
    try (FakeDevice device = new FakeDevice(Map.of("site", site));
        FakeDevice quiet = new FakeDevice(Map.of("site", site))) {
      RolloutTest.awaitDevice(device.id);
      RolloutTest.awaitDevice(quiet.id);
      String id =
          RolloutCalls.create(
              Api.token("release-manager"),
              model,
              "1.0.0",
              "site=" + site,
              "{\"waves\":[\"100%\"]}");
      DesiredState desired = device.next(root);
      quiet.next(root); // and never reports: the wave stays open, its ACTIVE device in it
      device.reportOutcome(root, desired, model, ModelStatus.ACTIVE, null);
      awaitActive(id);

      // the engine read the report when it made the device ACTIVE: nothing is left to read
      db.transaction(
          c -> {
            RolloutRow rollout = RolloutStore.lock(c, id).orElseThrow();
            assertEquals(List.of(), RolloutDeviceStore.reports(c, rollout));
            return null;
          });

      // with the rollout locked (the engine skips it), the device reports again
      db.transaction(
          c -> {
            RolloutRow rollout = RolloutStore.lock(c, id).orElseThrow();
            long before = revision(device.id);
            try {
              device.reportOutcome(root, desired, model, ModelStatus.ACTIVE, null);
              awaitRevision(device.id, rev -> rev > before);
            } catch (Exception e) {
              throw new IllegalStateException(e);
            }
            List<RolloutDeviceStore.Report> fresh = RolloutDeviceStore.reports(c, rollout);
            assertEquals(1, fresh.size(), "the new report is read");
            assertEquals(revision(device.id), fresh.get(0).revision());
            Progress.refresh(c, rollout, Instant.now());
            assertEquals(List.of(), RolloutDeviceStore.reports(c, rollout), "and only once");
            return null;
          });

      // a report that changes the outcome still moves the device, as before
      device.reportOutcome(root, desired, model, ModelStatus.ROLLED_BACK, "GOLDEN_MISMATCH: x");
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
      JsonPath last = RolloutCalls.get(id);
      while (!"ROLLED_BACK".equals(deviceState(last, device.id))) {
        assertTrue(System.nanoTime() < deadline, "never ROLLED_BACK: " + last.prettify());
        Thread.sleep(100);
        last = RolloutCalls.get(id);
      }
    }
  }

  private static String deviceState(JsonPath rollout, String device) {
    return rollout.getString("devices.find { it.id == '" + device + "' }.state");
  }

  private static void awaitActive(String id) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    JsonPath last = RolloutCalls.get(id);
    while (!Integer.valueOf(1).equals(last.get("progress.ACTIVE"))) {
      assertTrue(System.nanoTime() < deadline, "never ACTIVE: " + last.prettify());
      Thread.sleep(100);
      last = RolloutCalls.get(id);
    }
  }

  private long revision(String device) {
    return db.transaction(
        c ->
            Jdbc.query(
                    c,
                    "SELECT reported_rev FROM device WHERE id = ?",
                    row -> row.getLong(1),
                    device)
                .get(0));
  }

  private void awaitRevision(String device, LongPredicate reached) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!reached.test(revision(device))) {
      assertTrue(System.nanoTime() < deadline, "the report was not stored in 10 s");
      Thread.sleep(20);
    }
  }
}
