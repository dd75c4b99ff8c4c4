package dev.ferry.hub.fleet;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.hub.Api;
import dev.ferry.hub.HubTestProfile;
import dev.ferry.hub.broker.Enrolled;
import dev.ferry.hub.db.Database;
import dev.ferry.hub.db.Jdbc;
import dev.ferry.protocol.device.Presence;
import dev.ferry.protocol.device.ReportedState;
import dev.ferry.protocol.json.JsonCodec;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.junit.jupiter.api.Test;

/**
 * Reported states and presence stored many to a transaction: a device's messages in the order they
 * came, each report counted, a bad message dropped without the others.
 */
@QuarkusTest
@TestProfile(HubTestProfile.class)
class StateIngestTest {
  private static final JsonCodec CODEC = new JsonCodec();

  @Inject Database db;
  @Inject StateIngest ingest;
  @Inject IngestSession session;

  private record Row(String labels, boolean online, String reported, long revision) {}

  @Test
  void messagesSentTogether_areStoredInOrderAndEachReportCounts() throws Exception {
    String site = "state" + System.nanoTime();
    String id = site + "-a";
    String other = site + "-b";
    long droppedBefore = ingest.dropped();
    MqttClient client = Enrolled.device(id).connect();
    MqttClient second = Enrolled.device(other).connect();
    try {
      // sent back to back: most of them share a transaction
      report(client, id, Map.of("site", site, "step", "1"), 1);
      client.publish("ferry/v1/devices/" + id + "/reported", "{not json".getBytes(), 1, false);
      presence(client, id, true);
      report(second, other, Map.of("site", site), 1);
      report(client, id, Map.of("site", site, "step", "2"), 2);
      presence(client, id, false);
      report(client, id, Map.of("site", site, "step", "3"), 3);
      // names another device than its topic: refused, not stored
      report(client, id, Map.of("site", site, "step", "4"), 3, other);

      Row row = await(id, r -> r.revision() == 3);
      assertEquals(
          Map.of("site", site, "step", "3"),
          new com.fasterxml.jackson.databind.ObjectMapper().readValue(row.labels(), Map.class));
      assertEquals(false, row.online(), "the later presence wins");
      assertEquals(3, CODEC.decode(bytes(row.reported()), ReportedState.class).desiredSequence());
      assertEquals(1, await(other, r -> r.revision() == 1).revision());
      assertEquals(droppedBefore + 1, ingest.dropped(), "the malformed message only");
      Thread.sleep(300);
      assertEquals(3, read(id).revision(), "the refused report was not stored");
    } finally {
      for (MqttClient c : List.of(client, second)) {
        c.disconnect();
        c.close();
      }
    }
  }

  @Test
  void aRevokedDevice_isOffline_thoughItsWillIsNeverTaken() throws Exception {
    String id = "state-revoked" + System.nanoTime();
    MqttClient client = Enrolled.device(id).connect();
    try {
      presence(client, id, true);
      await(id, Row::online);
      given()
          .auth()
          .oauth2(Api.admin())
          .post("/api/v1/devices/" + id + "/revoke")
          .then()
          .statusCode(200);
      assertEquals(false, await(id, r -> !r.online()).online());
    } finally {
      // the broker dropped the revoked device's session, but the client may not have seen it yet,
      // and Paho closes no client it holds connected (CI once: "Client is connected")
      try {
        client.disconnectForcibly(0, 1000, false);
      } catch (org.eclipse.paho.client.mqttv3.MqttException e) {
        // it had seen it: already disconnected
      }
      client.close(true);
    }
  }

  @Test
  void aReportTheBrokerKept_sentAgainOnASubscription_isNoNewsOfTheDevice() throws Exception {
    String id = "state-kept" + System.nanoTime();
    MqttClient client = Enrolled.device(id).connect();
    try {
      ReportedState state = state(id, Map.of("site", "kept"), 1, Instant.now().minusSeconds(7200));
      client.publish("ferry/v1/devices/" + id + "/reported", CODEC.encode(state), 1, true);
      await(id, r -> r.revision() == 1);
      Instant heard = lastSeen(id);
      assertTrue(heard.isAfter(Instant.now().minusSeconds(60)), "heard live: " + heard);
      Thread.sleep(200);
      // what a hub's start does for every device: the broker sends what it kept
      session.resync(List.of(id));
      await(id, r -> r.revision() == 2);
      assertEquals(heard, lastSeen(id), "the same report sent again is no news");
      presence(client, id, true);
      await(id, Row::online);
      Instant connected = lastSeen(id);
      assertTrue(connected.isAfter(heard), "a change of presence is news: " + connected);
      presence(client, id, true);
      report(client, id, Map.of("site", "kept"), 2);
      await(id, r -> r.revision() == 3);
      assertTrue(lastSeen(id).isAfter(connected), "a new report is news");
    } finally {
      client.publish("ferry/v1/devices/" + id + "/reported", new byte[0], 1, true);
      client.disconnect();
      client.close();
    }
  }

  @Test
  void merged_appliesADevicesMessagesInOrder_andOrdersDevicesById() {
    List<DeviceUpdate> merged =
        StateIngest.merged(
            List.of(
                DeviceUpdate.reported("b", Map.of("k", "1"), "{1}"),
                DeviceUpdate.presence("a", true),
                DeviceUpdate.presence("b", true),
                DeviceUpdate.reported("b", null, "{2}"),
                DeviceUpdate.presence("b", false)));
    assertEquals(
        List.of(
            new DeviceUpdate("a", null, true, null, 0),
            new DeviceUpdate("b", Map.of("k", "1"), false, "{2}", 2)),
        merged);
  }

  private static void report(MqttClient client, String id, Map<String, String> labels, long seq)
      throws Exception {
    report(client, id, labels, seq, id);
  }

  private static void report(
      MqttClient client, String topicId, Map<String, String> labels, long seq, String named)
      throws Exception {
    ReportedState state = state(named, labels, seq, Instant.now());
    client.publish("ferry/v1/devices/" + topicId + "/reported", CODEC.encode(state), 1, false);
  }

  private static ReportedState state(
      String id, Map<String, String> labels, long seq, Instant reportedAt) {
    return new ReportedState(
        id, reportedAt, seq, "0.1.0", labels, List.of("CPU"), List.of(), 1, null, null, null);
  }

  private Instant lastSeen(String id) {
    return db.transaction(
            c ->
                Jdbc.query(
                    c,
                    "SELECT last_seen FROM device WHERE id = ?",
                    r -> r.getTimestamp(1).toInstant(),
                    id))
        .get(0);
  }

  private static void presence(MqttClient client, String id, boolean online) throws Exception {
    Presence presence = new Presence(id, online, Instant.now(), "0.1.0");
    client.publish("ferry/v1/devices/" + id + "/online", CODEC.encode(presence), 1, false);
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  private Row read(String id) {
    List<Row> rows =
        db.transaction(
            c ->
                Jdbc.query(
                    c,
                    "SELECT labels, online, reported, reported_rev FROM device WHERE id = ?",
                    r -> new Row(r.getString(1), r.getBoolean(2), r.getString(3), r.getLong(4)),
                    id));
    return rows.isEmpty() ? null : rows.get(0);
  }

  private Row await(String id, java.util.function.Predicate<Row> done) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    Row row = read(id);
    while (row == null || !done.test(row)) {
      assertTrue(System.nanoTime() < deadline, "device " + id + " stored as " + row);
      Thread.sleep(20);
      row = read(id);
    }
    return row;
  }
}
