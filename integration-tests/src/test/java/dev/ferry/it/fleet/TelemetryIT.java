package dev.ferry.it.fleet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.it.identity.DeviceIdentity;
import dev.ferry.it.identity.Enrollment;
import dev.ferry.it.identity.SecureMosquitto;
import dev.ferry.protocol.api.Device;
import dev.ferry.protocol.api.VersionMetrics;
import dev.ferry.protocol.testing.CuttingProxy;
import dev.ferry.protocol.testing.Services;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Telemetry end to end on real Mosquitto and PostgreSQL: two agents serve, the hub (a shared
 * subscription, a persistent session) counts what they served. Its totals stay exact through a 20 s
 * broker outage on the agents' side, a kill -9 of the hub in the middle of the stream, and garbage
 * an enrolled device sends on its telemetry topic. Agents enroll with token files and speak mutual
 * TLS to Mosquitto.
 */
class TelemetryIT {
  private static final String TOKEN =
      dev.ferry.protocol.testing.AdminTokens.random("telemetry-it-admin");
  private static final String MODEL = "tele-it";
  private static final String INFER = Oip.request(4);
  private static final String INVALID = Oip.request(3);

  @TempDir Path dir;

  @Test
  void hubTotals_equalWhatTheAgentsServed_throughOutagesAndARestart() throws Exception {
    Map<String, String> services = Services.start("postgres");
    SecureMosquitto mosquitto = SecureMosquitto.start(dir.resolve("mosquitto"));
    String schema = "tele" + System.nanoTime();
    Map<String, String> hubEnv =
        HubApi.onPostgres(services, mosquitto, schema, dir.resolve("hub"), TOKEN);

    JarProcess hub = JarProcess.start("hub", hubEnv, dir.resolve("hub.log"));
    Enrollment enrollment = new Enrollment(hub.url(), TOKEN);
    int hubPort = hub.port;
    HubApi api = new HubApi(hub, TOKEN);
    api.publish(MODEL, "1.0.0", 1, dir);
    Path root = Files.writeString(dir.resolve("root.json"), api.get("/api/v1/trust/root").body());
    try (mosquitto;
        CuttingProxy broker = new CuttingProxy(mosquitto.devicePort, Long.MAX_VALUE, false);
        JarProcess a = agent("tele-a", schema, root, broker, enrollment, hubPort);
        JarProcess b = agent("tele-b", schema, root, broker, enrollment, hubPort)) {
      awaitDevices(api, schema, 2);
      api.rollout(MODEL, "1.0.0", "\"selector\":\"fleet=" + schema + "\"");
      Oip oipA = new Oip(a);
      Oip oipB = new Oip(b);
      oipA.awaitVersion(MODEL, INFER, "1.0.0");
      oipB.awaitVersion(MODEL, INFER, "1.0.0");
      int[] served = {0, 0}; // requests, errors
      served[0] += 2; // the awaitVersion calls that answered

      serve(oipA, 30, 3, served);
      serve(oipB, 20, 0, served);

      broker.down(true);
      long outageStart = System.nanoTime();
      serve(oipA, 40, 2, served);
      serve(oipB, 10, 0, served);
      garbage(mosquitto.deviceUrl(), enrollment.enroll("tele-garbage-" + schema));
      awaitMalformed(api, 3);
      // 8 s down: about 8 batches an agent journals and sends again afterwards
      Thread.sleep(Math.max(0, 8_000 - (System.nanoTime() - outageStart) / 1_000_000));
      broker.down(false);

      hub.kill();
      serve(oipA, 25, 0, served);
      serve(oipB, 25, 1, served);
      hub = JarProcess.start("hub", hubEnv, dir.resolve("hub-restarted.log"), hubPort);
      api = new HubApi(hub, TOKEN);

      VersionMetrics totals = awaitTotals(api, served[0], served[1]);
      awaitMoreBatches(api, 4); // later batches, and any repeat, must not change the totals
      VersionMetrics again = api.metrics(MODEL, "1.0.0");
      assertEquals(served[0], again.requests(), "counted twice: " + again);
      assertEquals(served[1], again.errorsByReason().get("invalid_request").longValue());
      assertTrue(totals.latency().counts().size() > 0);
    } finally {
      hub.close();
    }
  }

  private JarProcess agent(
      String id, String fleet, Path root, CuttingProxy broker, Enrollment enrollment, int hubPort)
      throws Exception {
    String device = id + "-" + System.nanoTime();
    Map<String, String> env = new HashMap<>();
    env.put("FERRY_AGENT_DEVICE_ID", device);
    env.put("FERRY_AGENT_HUB_URL", "http://127.0.0.1:" + hubPort);
    env.put(
        "FERRY_AGENT_ENROLLMENT_TOKEN_FILE",
        Enrollment.tokenFile(dir.resolve(id + "-token"), enrollment.token(device)).toString());
    env.put("FERRY_AGENT_LABELS_FLEET", fleet);
    env.put("FERRY_AGENT_TRUST_ROOT", root.toString());
    env.put("FERRY_AGENT_DATA_DIR", dir.resolve(id).toString());
    env.put("FERRY_AGENT_MQTT_URL", "ssl://" + broker.address());
    env.put("FERRY_AGENT_REGISTRY_PLAIN_HTTP", "127.0.0.1:" + hubPort);
    env.put("FERRY_AGENT_TELEMETRY_INTERVAL", "1s");
    return JarProcess.start("agent", env, dir.resolve(id + ".log"));
  }

  /** Sends good and invalid requests, each checked, and adds them to the tally. */
  private static void serve(Oip oip, int good, int invalid, int[] served) throws Exception {
    for (int i = 0; i < good; i++) {
      assertEquals("1.0.0", oip.served(MODEL, INFER));
    }
    for (int i = 0; i < invalid; i++) {
      assertEquals(400, oip.infer(MODEL, INVALID).statusCode());
    }
    served[0] += good + invalid;
    served[1] += invalid;
  }

  /** An enrolled device sends garbage on its own telemetry topic. */
  private static void garbage(String mqtt, DeviceIdentity device) throws Exception {
    MqttClient attacker = new MqttClient(mqtt, device.name(), new MemoryPersistence());
    attacker.connect(device.options());
    for (String payload : List.of("{", "{\"schema\":\"ferry.telemetry/v1\",\"seq\":-1}", "null")) {
      attacker.publish(
          "ferry/v1/devices/" + device.name() + "/telemetry",
          payload.getBytes(StandardCharsets.UTF_8),
          1,
          false);
    }
    attacker.disconnect();
    attacker.close();
  }

  private static void awaitDevices(HubApi api, String fleet, int count) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    String last = "";
    while (System.nanoTime() < deadline) {
      List<Device> known = api.devices("fleet=" + fleet);
      last = known.stream().map(Device::id).toList().toString();
      if (known.size() == count) {
        return;
      }
      Thread.sleep(200);
    }
    throw new AssertionError("the hub never knew " + count + " devices: " + last);
  }

  /** Waits until the hub has taken this many more batches (the agents send one a second). */
  private static void awaitMoreBatches(HubApi api, int more) throws Exception {
    double start = ingested(api);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (ingested(api) < start + more) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("the hub took no more batches after " + start);
      }
      Thread.sleep(200);
    }
  }

  private static double ingested(HubApi api) throws Exception {
    String name = "ferry_ingest_telemetry_received ";
    for (String line : api.get("/q/metrics").body().split("\n")) {
      if (line.startsWith(name)) {
        return Double.parseDouble(line.substring(name.length()));
      }
    }
    return 0;
  }

  /** The hub counts garbage on a device's telemetry topic and goes on. */
  private static void awaitMalformed(HubApi api, int count) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
    List<String> last = List.of();
    while (System.nanoTime() < deadline) {
      last =
          api.get("/q/metrics").body().lines().filter(l -> l.startsWith("ferry_ingest")).toList();
      if (last.contains("ferry_ingest_telemetry_malformed " + (double) count)) {
        return;
      }
      Thread.sleep(200);
    }
    throw new AssertionError("the hub did not count " + count + " malformed messages: " + last);
  }

  private static VersionMetrics awaitTotals(HubApi api, long requests, long errors)
      throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(150);
    VersionMetrics last = null;
    while (System.nanoTime() < deadline) {
      last = api.metrics(MODEL, "1.0.0");
      if (last.requests() == requests && last.errors() == errors) {
        return last;
      }
      Thread.sleep(500);
    }
    throw new AssertionError("hub totals never reached " + requests + "/" + errors + ": " + last);
  }
}
