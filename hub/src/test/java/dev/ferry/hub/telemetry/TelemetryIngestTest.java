package dev.ferry.hub.telemetry;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import dev.ferry.hub.Api;
import dev.ferry.hub.HubTestProfile;
import dev.ferry.hub.broker.Enrolled;
import dev.ferry.hub.fleet.DeviceGate;
import dev.ferry.protocol.device.DeviceEvent;
import dev.ferry.protocol.device.DeviceMetrics;
import dev.ferry.protocol.device.EventType;
import dev.ferry.protocol.device.LatencyHistogram;
import dev.ferry.protocol.device.ModelTelemetry;
import dev.ferry.protocol.device.Receipt;
import dev.ferry.protocol.device.TelemetryBatch;
import dev.ferry.protocol.json.JsonCodec;
import dev.ferry.protocol.testing.OnnxModels;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.eclipse.paho.client.mqttv3.IMqttMessageListener;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.junit.jupiter.api.Test;

/**
 * Telemetry through the hub's broker: batches counted once per (device, seq), summed per model
 * version, garbage counted and dropped without stopping ingestion.
 */
@QuarkusTest
@TestProfile(HubTestProfile.class)
class TelemetryIngestTest {
  private static final JsonCodec CODEC = new JsonCodec();

  @Inject TelemetryIngest ingest;
  @Inject DeviceGate gate;

  static TelemetryBatch batch(String device, long seq, String model, long requests, long failed) {
    List<Long> counts =
        new ArrayList<>(
            Collections.nCopies(LatencyHistogram.STANDARD_BOUNDS_MILLIS.size() + 1, 0L));
    counts.set(3, requests); // ≤ 5 ms
    Instant now = Instant.now();
    return new TelemetryBatch(
        device,
        seq,
        now.minusSeconds(10),
        now,
        0,
        List.of(
            new ModelTelemetry(
                model,
                "1.0.0",
                "CPU",
                requests,
                failed == 0 ? Map.of() : Map.of("inference_failed", failed),
                new LatencyHistogram(LatencyHistogram.STANDARD_BOUNDS_MILLIS, counts))),
        new DeviceMetrics(0.5, 100L << 20, 1L << 30, List.of()));
  }

  @Test
  void batches_areCountedOnceAndSummedPerVersion() throws Exception {
    String model = "tele-" + Long.toHexString(System.nanoTime());
    publish(model);
    long counted = ingest.counted();
    long duplicates = ingest.duplicates();
    long malformed = ingest.malformed();
    long mismatched = gate.refused(DeviceGate.Reason.DEVICE_MISMATCH);
    String run = "tele-" + System.nanoTime();
    String d1 = run + "-d1";
    String d2 = run + "-d2";
    String d3 = run + "-d3";
    List<MqttClient> devices = new ArrayList<>();
    try {
      for (String id : List.of(d1, d2, d3)) {
        devices.add(Enrolled.device(id).connect());
      }
      send(devices.get(0), d1, CODEC.encode(batch(d1, 1, model, 10, 1)));
      send(devices.get(0), d1, CODEC.encode(batch(d1, 2, model, 5, 0)));
      send(devices.get(0), d1, CODEC.encode(batch(d1, 2, model, 5, 0))); // delivered twice
      send(devices.get(1), d2, CODEC.encode(batch(d2, 1, model, 7, 2)));
      send(devices.get(1), d2, "{not json".getBytes(StandardCharsets.UTF_8));
      send(devices.get(2), d3, CODEC.encode(batch(d2, 9, model, 100, 0))); // another device's id
      send(devices.get(1), d2, CODEC.encode(batch(d2, 2, model, 3, 0)));
    } finally {
      for (MqttClient device : devices) {
        device.disconnect();
        device.close();
      }
    }
    await(() -> ingest.counted() - counted, 4);
    await(() -> ingest.duplicates() - duplicates, 1);
    await(() -> ingest.malformed() - malformed, 1);
    await(() -> gate.refused(DeviceGate.Reason.DEVICE_MISMATCH) - mismatched, 1);

    given()
        .auth()
        .oauth2(Api.token("viewer"))
        .get("/api/v1/models/" + model + "/versions/1.0.0/metrics")
        .then()
        .statusCode(200)
        .body("requests", equalTo(25))
        .body("errors", equalTo(3))
        .body("errorsByReason.inference_failed", equalTo(3))
        .body("latencyMillis.p99", equalTo(5.0f))
        .body("latency.counts[3]", equalTo(25));
  }

  @Test
  void storedBatchesAndEvents_areReceiptedToTheirDevice() throws Exception {
    String model = "tele-" + Long.toHexString(System.nanoTime());
    publish(model);
    String device = "tele-receipt-" + System.nanoTime();
    BlockingQueue<Receipt> receipts = new LinkedBlockingQueue<>();
    MqttClient client = Enrolled.device(device).connect();
    try {
      client.subscribe(
          new String[] {"ferry/v1/devices/" + device + "/receipts"},
          new int[] {1},
          new IMqttMessageListener[] {
            (t, m) -> receipts.add(CODEC.decode(m.getPayload(), Receipt.class))
          });
      send(client, device, CODEC.encode(batch(device, 1, model, 2, 0)));
      send(client, device, CODEC.encode(batch(device, 2, model, 3, 0)));
      send(client, device, CODEC.encode(batch(device, 2, model, 3, 0))); // a repeat: receipted too
      DeviceEvent event =
          new DeviceEvent(
              "evt-" + device,
              device,
              Instant.now(),
              EventType.DESIRED_ACCEPTED,
              1,
              null,
              null,
              null,
              null,
              null);
      client.publish("ferry/v1/devices/" + device + "/events", CODEC.encode(event), 1, false);
      List<Long> receipted = new ArrayList<>();
      List<String> events = new ArrayList<>();
      // the repeat is receipted apart, or with the first in one receipt of the same transaction
      while (!Set.copyOf(receipted).equals(Set.of(1L, 2L)) || events.isEmpty()) {
        Receipt receipt = receipts.poll(15, TimeUnit.SECONDS);
        assertNotNull(receipt, "receipts so far: " + receipted + " " + events);
        assertEquals(device, receipt.deviceId());
        receipted.addAll(receipt.telemetry());
        events.addAll(receipt.events());
      }
      assertEquals(Set.of(1L, 2L), Set.copyOf(receipted));
      assertEquals(List.of("evt-" + device), events);
    } finally {
      client.disconnect();
      client.close();
    }
  }

  @Test
  void invalidBatches_areDeadLetteredAndIngestionGoesOn() throws Exception {
    String model = "tele-" + Long.toHexString(System.nanoTime());
    publish(model);
    long counted = ingest.counted();
    long malformed = ingest.malformed();
    String device = "tele-bad-" + System.nanoTime();
    String good = new String(CODEC.encode(batch(device, 1, model, 10, 1)), StandardCharsets.UTF_8);
    // before the fix the database refused these (VARCHAR(128), BIGINT overflow) and the writer
    // retried them for ever: nothing behind them was counted
    String longReason = good.replace("inference_failed", "r".repeat(200));
    String hugeCount = good.replace("\"requests\":10", "\"requests\":" + Long.MAX_VALUE);
    MqttClient client = Enrolled.device(device).connect();
    try {
      send(client, device, longReason.getBytes(StandardCharsets.UTF_8));
      send(client, device, hugeCount.getBytes(StandardCharsets.UTF_8));
      send(client, device, hugeCount.getBytes(StandardCharsets.UTF_8));
      send(client, device, CODEC.encode(batch(device, 2, model, 4, 0)));
    } finally {
      client.disconnect();
      client.close();
    }
    await(() -> ingest.malformed() - malformed, 3);
    await(() -> ingest.counted() - counted, 1);
    given()
        .auth()
        .oauth2(Api.token("viewer"))
        .get("/api/v1/models/" + model + "/versions/1.0.0/metrics")
        .then()
        .statusCode(200)
        .body("requests", equalTo(4));
  }

  @Test
  void metrics_badRangeIs400AndUnknownReleaseIs404() {
    String token = Api.token("viewer");
    given()
        .auth()
        .oauth2(token)
        .get("/api/v1/models/nothing/versions/1.0.0/metrics")
        .then()
        .statusCode(404);
    given()
        .auth()
        .oauth2(token)
        .queryParam("from", "yesterday")
        .get("/api/v1/models/nothing/versions/1.0.0/metrics")
        .then()
        .statusCode(400)
        .body(
            "message",
            equalTo("from: not an ISO-8601 instant such as 2026-11-28T10:00:00Z: 'yesterday'"));
  }

  @Test
  void prometheus_showsTheIngestCounters() {
    String text = given().get("/q/metrics").then().statusCode(200).extract().asString();
    assertEquals(
        true, text.contains("ferry_ingest_telemetry_counted"), "ingest counters in /q/metrics");
  }

  private static void send(MqttClient client, String device, byte[] payload) throws Exception {
    client.publish("ferry/v1/devices/" + device + "/telemetry", payload, 1, false);
  }

  private static void await(LongSupplier value, long expected) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
    while (value.getAsLong() < expected && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
    assertEquals(expected, value.getAsLong());
  }

  private static void publish(String name) throws Exception {
    Path model = Files.createTempFile("model", ".onnx");
    OnnxModels.matMulAdd(model, "x", 1, 4, 2, 5);
    given()
        .auth()
        .oauth2(Api.admin())
        .multiPart("model", model.toFile())
        .multiPart("version", "1.0.0")
        .post("/api/v1/models/" + name + "/versions")
        .then()
        .statusCode(201);
  }
}
