package dev.ferry.hub.rollout;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.hub.Api;
import dev.ferry.hub.HubTestProfile;
import dev.ferry.hub.db.Database;
import dev.ferry.hub.db.Jdbc;
import dev.ferry.hub.fleet.HubMqtt;
import dev.ferry.protocol.device.Channel;
import dev.ferry.protocol.device.Topic;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * A wave's fan-out in chunks: every device gets one desired state, each published after its chunk's
 * commit, and a replica that stops between chunks leaves the rest to the engine.
 */
@QuarkusTest
@TestProfile(HubTestProfile.class)
class FanOutTest {
  @Inject Clock clock;
  @Inject Database db;
  @Inject RolloutSteps steps;
  @Inject DesiredStates desired;
  @Inject HubMqtt mqtt;

  /** What the desired-state rows of some devices hold. */
  private record Desired(long devices, long minSequence, long maxSequence, long published) {
    static Desired read(ResultSet row) throws SQLException {
      return new Desired(row.getLong(1), row.getLong(2), row.getLong(3), row.getLong(4));
    }
  }

  @Test
  void aWaveOfAThousand_goesOutInFourChunks_eachDeviceOneStatePublished() throws Exception {
    String model = RolloutTest.publish("fan" + System.nanoTime(), "1.0.0");
    String prefix = "fan-" + System.nanoTime() + "-";
    List<String> devices = ids(prefix, 1000);
    try {
      String id = create(model, devices, null);

      assertEquals(Map.of("ASSIGNED", 1000L), states(id));
      assertEquals(new Desired(1000, 1, 1, 1000), desired(prefix));
      assertEquals(List.of(1L), sequencesCarried(id));
    } finally {
      clearRetained(devices);
    }
  }

  @Test
  void aReplicaStoppingAfterTheFirstChunk_leavesTheRestToTheEngine_eachDeviceOneState()
      throws Exception {
    String model = RolloutTest.publish("stop" + System.nanoTime(), "1.0.0");
    String prefix = "stop-" + System.nanoTime() + "-";
    List<String> devices = ids(prefix, 700);
    try {
      stopAfterTheFirstChunk(model, prefix, devices);
    } finally {
      clearRetained(devices);
    }
  }

  private void stopAfterTheFirstChunk(String model, String prefix, List<String> devices)
      throws Exception {
    Instant startAt = clock.instant().plusSeconds(3600).truncatedTo(ChronoUnit.MILLIS);
    String id = create(model, devices, "{\"startAt\":\"" + startAt + "\"}");

    // a replica starts the wave, commits its first chunk and stops before publishing anything
    Change first =
        db.transaction(c -> steps.step(c, RolloutStore.lock(c, id).orElseThrow(), startAt));
    assertTrue(first.more());
    assertEquals(100, first.signed().size());
    assertEquals(Map.of("ASSIGNED", 100L, "WAITING", 600L), states(id));
    assertEquals(new Desired(100, 1, 1, 0), desired(prefix));

    // its next step falls due: the engine of a replica carries on from the devices still waiting
    db.transaction(
        c ->
            Jdbc.update(
                c, "UPDATE rollout SET next_step_at = ? WHERE id = ?", clock.instant(), id));
    await(() -> states(id).equals(Map.of("ASSIGNED", 700L)), "every device ASSIGNED");
    await(() -> desired(prefix).published() == 600, "the engine's chunks published");
    // the first chunk (issued at the start time) is the sweep's once its signer's grace is over
    Duration grace = Duration.ofMinutes(1);
    desired.publishLeftOver(startAt.plus(grace).plusSeconds(1), grace);

    assertEquals(new Desired(700, 1, 1, 700), desired(prefix));
    assertEquals(List.of(1L), sequencesCarried(id));
  }

  @Test
  void deferStep_movesARolloutsNextStepLaterNeverEarlier() throws Exception {
    String model = RolloutTest.publish("defer" + System.nanoTime(), "1.0.0");
    String prefix = "defer-" + System.nanoTime() + "-";
    Instant startAt = clock.instant().plusSeconds(3600).truncatedTo(ChronoUnit.MILLIS);
    String id = create(model, ids(prefix, 3), "{\"startAt\":\"" + startAt + "\"}");

    defer(id, startAt.minusSeconds(60));
    assertEquals(startAt, nextStep(id));
    defer(id, startAt.plusSeconds(60));
    assertEquals(startAt.plusSeconds(60), nextStep(id));
  }

  private void defer(String id, Instant until) {
    db.transaction(
        c -> {
          RolloutStore.deferStep(c, id, until);
          return null;
        });
  }

  private Instant nextStep(String id) {
    return nextStep(db, id);
  }

  /** When the engine steps a rollout next. */
  static Instant nextStep(Database db, String id) {
    return db.transaction(
        c ->
            Jdbc.query(
                    c,
                    "SELECT next_step_at FROM rollout WHERE id = ?",
                    row -> Jdbc.time(row, 1),
                    id)
                .get(0));
  }

  /**
   * Removes the test's retained desired states from the embedded broker: under the test's class
   * loaders its store failed to read retained messages back once it held a few thousand.
   */
  private void clearRetained(List<String> devices) {
    clearRetained(mqtt, devices);
  }

  static void clearRetained(HubMqtt mqtt, List<String> devices) {
    List<HubMqtt.Outgoing> empty = new ArrayList<>();
    for (String device : devices) {
      String topic = new Topic(device, Channel.DESIRED).toString();
      empty.add(new HubMqtt.Outgoing(topic, new byte[0], true));
    }
    mqtt.publishAll(empty);
  }

  static List<String> ids(String prefix, int count) {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      ids.add(prefix + i);
    }
    return ids;
  }

  static String create(String model, List<String> devices, String strategy) {
    String list = devices.stream().collect(Collectors.joining("\",\"", "[\"", "\"]"));
    return given()
        .auth()
        .oauth2(Api.admin())
        .contentType(ContentType.JSON)
        .body(
            "{\"model\":\""
                + model
                + "\",\"version\":\"1.0.0\",\"devices\":"
                + list
                + (strategy == null ? "" : ",\"strategy\":" + strategy)
                + "}")
        .post("/api/v1/rollouts")
        .then()
        .statusCode(201)
        .extract()
        .path("id");
  }

  /** The rollout's devices by state. */
  private Map<String, Long> states(String id) {
    return db.transaction(
        c ->
            Jdbc.query(
                    c,
                    "SELECT state FROM rollout_device WHERE rollout_id = ?",
                    row -> row.getString(1),
                    id)
                .stream()
                .collect(Collectors.groupingBy(s -> s, Collectors.counting())));
  }

  /** The desired-state sequences that carried the rollout to its devices, each once. */
  private List<Long> sequencesCarried(String id) {
    return db.transaction(
        c ->
            Jdbc.query(
                c,
                "SELECT DISTINCT desired_sequence FROM rollout_device WHERE rollout_id = ?",
                row -> row.getLong(1),
                id));
  }

  private Desired desired(String prefix) {
    return db.transaction(
        c ->
            Jdbc.query(
                    c,
                    "SELECT COUNT(*), MIN(s.sequence), MAX(s.sequence),"
                        + " SUM(CASE WHEN u.device_id IS NULL THEN 1 ELSE 0 END)"
                        + " FROM desired_state s LEFT JOIN desired_unpublished u"
                        + " ON u.device_id = s.device_id AND u.sequence = s.sequence"
                        + " WHERE s.device_id LIKE ?",
                    Desired::read,
                    prefix + "%")
                .get(0));
  }

  private static void await(java.util.function.BooleanSupplier condition, String what)
      throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not within 30 s: " + what);
      }
      Thread.sleep(50);
    }
  }
}
