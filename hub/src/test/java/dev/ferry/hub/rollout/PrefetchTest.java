package dev.ferry.hub.rollout;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.hub.Api;
import dev.ferry.hub.HubTestProfile;
import dev.ferry.hub.db.Database;
import dev.ferry.hub.db.Jdbc;
import dev.ferry.hub.fleet.HubMqtt;
import dev.ferry.protocol.device.DesiredState;
import dev.ferry.protocol.device.DeviceEvent;
import dev.ferry.protocol.device.EventType;
import dev.ferry.protocol.device.ModelAssignment;
import dev.ferry.protocol.signing.TrustRoot;
import dev.ferry.protocol.testing.SimulatedAgent;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Release prefetch: a rollout that prefetches sends its release, when it starts, to the devices of
 * its later waves as a prefetch; their wave assigns it; an early end withdraws it. Read from the
 * desired states the hub stored and published, verified as an agent verifies them.
 */
@QuarkusTest
@TestProfile(HubTestProfile.class)
class PrefetchTest {
  private static final String CANARY_THEN_REST = "\"waves\":[\"1\",\"100%\"]";

  @Inject Database db;
  @Inject HubMqtt mqtt;
  @Inject PrefetchReports prefetchReports;

  private TrustRoot root;

  @BeforeEach
  void setUp() {
    root = RolloutTest.trustRoot();
  }

  /** A device's stored desired state, and whether it was published. */
  private record Stored(DesiredState state, boolean published) {}

  @Test
  void start_assignsTheFirstWave_andTheLaterWavesPrefetchTheRelease() throws Exception {
    String model = RolloutTest.publish("pre" + System.nanoTime(), "1.0.0");
    List<String> devices = FanOutTest.ids("pre-" + System.nanoTime() + "-", 3);
    try {
      String id = FanOutTest.create(model, devices, "{" + CANARY_THEN_REST + ",\"prefetch\":true}");
      assertEquals(true, RolloutCalls.get(id).getBoolean("strategy.prefetch"));
      DesiredState canary = stored(inWave(id, 0).get(0)).state();
      assertEquals(List.of(model), names(canary.models()));
      assertEquals(List.of(), canary.prefetch());

      List<String> later = inWave(id, 1);
      assertEquals(2, later.size());
      for (String device : later) {
        Stored waiting = stored(device);
        assertTrue(waiting.published(), device + " published");
        assertEquals(List.of(), waiting.state().models(), device + " assigns nothing");
        assertEquals(List.of(model), names(waiting.state().prefetch()));
        ModelAssignment prefetch = waiting.state().prefetch().get(0);
        assertEquals(canary.models().get(0).manifestDigest(), prefetch.manifestDigest());
        assertEquals(canary.models().get(0).repository(), prefetch.repository());
        assertEquals("1.0.0", SimulatedAgent.release(root, prefetch).predicate().version());
        assertNull(prefetch.capture());
      }
    } finally {
      FanOutTest.clearRetained(mqtt, devices);
    }
  }

  @Test
  void nextWave_assignsTheReleaseToTheDevicesThatPrefetchedIt_andPrefetchesNothing()
      throws Exception {
    String model = RolloutTest.publish("wave" + System.nanoTime(), "1.0.0");
    List<String> devices = FanOutTest.ids("wave-" + System.nanoTime() + "-", 3);
    try {
      // the first wave is done at once and waits for a resume
      String strategy =
          "{"
              + CANARY_THEN_REST
              + ",\"prefetch\":true,\"successThreshold\":0,\"autoAdvance\":false}";
      String id = FanOutTest.create(model, devices, strategy);
      List<String> later = inWave(id, 1);
      for (String device : later) {
        assertEquals(List.of(model), names(stored(device).state().prefetch()));
      }
      awaitState(id, "PAUSED");

      action(id, "resume");
      for (String device : later) {
        Stored assigned = stored(device);
        assertTrue(assigned.published(), device + " published");
        assertEquals(2, assigned.state().sequence());
        assertEquals(List.of(model), names(assigned.state().models()));
        assertEquals(List.of(), assigned.state().prefetch(), device + " prefetches nothing");
      }
    } finally {
      FanOutTest.clearRetained(mqtt, devices);
    }
  }

  @Test
  void cancel_withdrawsThePrefetchFromTheDevicesStillWaiting() throws Exception {
    String model = RolloutTest.publish("cancel" + System.nanoTime(), "1.0.0");
    List<String> devices = FanOutTest.ids("cancel-" + System.nanoTime() + "-", 3);
    try {
      String id = FanOutTest.create(model, devices, "{" + CANARY_THEN_REST + ",\"prefetch\":true}");
      String canary = inWave(id, 0).get(0);
      List<String> later = inWave(id, 1);

      action(id, "cancel");
      assertWithdrawn(later);
      assertEquals(1, stored(canary).state().sequence(), "the canary keeps what it has");
      assertEquals(List.of(model), names(stored(canary).state().models()));
    } finally {
      FanOutTest.clearRetained(mqtt, devices);
    }
  }

  @Test
  void revokingTheRelease_withdrawsThePrefetchOfItsCancelledRollout() throws Exception {
    String model = RolloutTest.publish("revoke" + System.nanoTime(), "1.0.0");
    List<String> devices = FanOutTest.ids("revoke-" + System.nanoTime() + "-", 3);
    try {
      String id = FanOutTest.create(model, devices, "{" + CANARY_THEN_REST + ",\"prefetch\":true}");
      List<String> later = inWave(id, 1);

      given()
          .auth()
          .oauth2(Api.admin())
          .contentType(ContentType.JSON)
          .body("{\"reason\":\"NaNs\"}")
          .post("/api/v1/models/" + model + "/versions/1.0.0/revoke")
          .then()
          .statusCode(200);
      assertEquals("CANCELLED", RolloutCalls.get(id).getString("state"));
      assertWithdrawn(later);
    } finally {
      FanOutTest.clearRetained(mqtt, devices);
    }
  }

  @Test
  void prefetchedEvents_areCountedPerWave_andShownPerDevice() throws Exception {
    String model = RolloutTest.publish("seen" + System.nanoTime(), "1.0.0");
    List<String> devices = FanOutTest.ids("seen-" + System.nanoTime() + "-", 3);
    try {
      String id = FanOutTest.create(model, devices, "{" + CANARY_THEN_REST + ",\"prefetch\":true}");
      List<String> later = inWave(id, 1);
      assertEquals(List.of(0, 0), RolloutCalls.get(id).getList("waveProgress.prefetched"));

      Instant at = Instant.parse("2026-12-06T01:00:00Z");
      assertEquals(0, report(prefetched(later.get(0), model, "0.9.0", at)), "another version");
      assertEquals(
          0, report(event(EventType.VERIFIED, later.get(0), model, "1.0.0", at)), "another event");
      assertEquals(1, report(prefetched(later.get(0), model, "1.0.0", at)));
      assertEquals(0, report(prefetched(later.get(0), model, "1.0.0", at)), "marked once");

      JsonPath view = RolloutCalls.get(id);
      assertEquals(List.of(0, 1), view.getList("waveProgress.prefetched"));
      assertEquals(
          at.toString(),
          view.getString("devices.find { it.id == '" + later.get(0) + "' }.prefetchedAt"));
      assertNull(view.get("devices.find { it.id == '" + later.get(1) + "' }.prefetchedAt"));
    } finally {
      FanOutTest.clearRetained(mqtt, devices);
    }
  }

  private int report(DeviceEvent event) {
    return db.transaction(c -> prefetchReports.record(c, event));
  }

  private static DeviceEvent prefetched(String device, String model, String version, Instant at) {
    return event(EventType.PREFETCHED, device, model, version, at);
  }

  private static DeviceEvent event(
      EventType type, String device, String model, String version, Instant at) {
    return new DeviceEvent(
        "e-" + System.nanoTime(), device, at, type, 1, model, version, null, null, null);
  }

  @Test
  void withoutPrefetch_theLaterWavesGetNoDesiredStateAtTheStart() throws Exception {
    String model = RolloutTest.publish("plain" + System.nanoTime(), "1.0.0");
    List<String> devices = FanOutTest.ids("plain-" + System.nanoTime() + "-", 3);
    try {
      String id = FanOutTest.create(model, devices, "{" + CANARY_THEN_REST + "}");
      assertEquals(false, RolloutCalls.get(id).getBoolean("strategy.prefetch"));
      assertEquals(
          List.of(),
          RolloutCalls.get(id).getList("waveProgress.findAll { it.prefetched != null }"));
      assertEquals(1, stored(inWave(id, 0).get(0)).state().sequence());
      List<String> later = inWave(id, 1);
      assertEquals(2, later.size());
      for (String device : later) {
        assertEquals(0, storedCount(device), device + " has no desired state");
      }
    } finally {
      FanOutTest.clearRetained(mqtt, devices);
    }
  }

  @Test
  void aDeviceAssignedTheVersionAlready_prefetchesNothing() throws Exception {
    String model = RolloutTest.publish("same" + System.nanoTime(), "1.0.0");
    List<String> devices = FanOutTest.ids("same-" + System.nanoTime() + "-", 3);
    try {
      FanOutTest.create(model, devices, null);
      String id = FanOutTest.create(model, devices, "{" + CANARY_THEN_REST + ",\"prefetch\":true}");
      for (String device : inWave(id, 1)) {
        DesiredState state = stored(device).state();
        assertEquals(List.of(model), names(state.models()));
        assertEquals(List.of(), state.prefetch(), device + " runs 1.0.0 already");
      }
    } finally {
      FanOutTest.clearRetained(mqtt, devices);
    }
  }

  private void assertWithdrawn(List<String> devices) {
    assertEquals(2, devices.size());
    for (String device : devices) {
      Stored withdrawn = stored(device);
      assertTrue(withdrawn.published(), device + " published");
      assertEquals(2, withdrawn.state().sequence(), device + " signed again");
      assertEquals(List.of(), withdrawn.state().models());
      assertEquals(List.of(), withdrawn.state().prefetch(), device + " prefetches nothing");
    }
  }

  private static void action(String id, String action) {
    given()
        .auth()
        .oauth2(Api.admin())
        .post("/api/v1/rollouts/" + id + "/" + action)
        .then()
        .statusCode(200);
  }

  private static void awaitState(String id, String state) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (!state.equals(RolloutCalls.get(id).getString("state"))) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("rollout " + id + " never became " + state);
      }
      Thread.sleep(100);
    }
  }

  /** The rollout's devices in a wave (from 0), in id order. */
  private List<String> inWave(String id, int wave) {
    return db.transaction(
        c ->
            Jdbc.query(
                c,
                "SELECT device_id FROM rollout_device WHERE rollout_id = ? AND wave = ?"
                    + " ORDER BY device_id",
                row -> row.getString(1),
                id,
                wave));
  }

  private Stored stored(String device) {
    return db.transaction(
        c ->
            Jdbc.query(
                    c,
                    "SELECT s.envelope, u.device_id IS NULL FROM desired_state s"
                        + " LEFT JOIN desired_unpublished u"
                        + " ON u.device_id = s.device_id AND u.sequence = s.sequence"
                        + " WHERE s.device_id = ?",
                    row ->
                        new Stored(
                            SimulatedAgent.verify(
                                root, row.getString(1).getBytes(StandardCharsets.UTF_8)),
                            row.getBoolean(2)),
                    device)
                .get(0));
  }

  private long storedCount(String device) {
    return db.transaction(
        c ->
            Jdbc.query(
                    c,
                    "SELECT COUNT(*) FROM desired_state WHERE device_id = ?",
                    row -> row.getLong(1),
                    device)
                .get(0));
  }

  private static List<String> names(List<ModelAssignment> models) {
    return models.stream().map(ModelAssignment::name).toList();
  }
}
