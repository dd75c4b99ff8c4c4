package dev.ferry.it.fleet;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ferry.it.faults.Figures;
import dev.ferry.it.identity.Enrollment;
import dev.ferry.it.identity.SecureMosquitto;
import dev.ferry.it.trust.Load;
import dev.ferry.protocol.api.VersionMetrics;
import dev.ferry.protocol.testing.AdminTokens;
import dev.ferry.protocol.testing.Services;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Mosquitto (persistent, as shipped) stopped for {@code faults.outage.seconds} (default 30; the
 * issue's figure is 300) while two agents serve a steady load and journal their telemetry: no
 * request fails, and once the broker is back the hub's totals on PostgreSQL equal exactly what the
 * agents served, and stay so (nothing lost, nothing doubled).
 */
class BrokerOutageFault {
  private static final String TOKEN = AdminTokens.random("broker-outage-admin");
  private static final String MODEL = "outage";
  private static final String INFER = Oip.request(4);

  private final int outageSeconds = Figures.knob("faults.outage.seconds", 30);

  @TempDir Path dir;

  @Test
  void brokerStoppedUnderLoad_noRequestFailsAndTelemetryTotalsStayExact() throws Exception {
    Map<String, String> services = Services.start("postgres");
    String schema = "outage" + System.nanoTime();
    try (SecureMosquitto mosquitto = SecureMosquitto.startPersistent(dir.resolve("mosquitto"));
        JarProcess hub =
            JarProcess.start(
                "hub",
                HubApi.onPostgres(services, mosquitto, schema, dir.resolve("hub"), TOKEN),
                dir.resolve("hub.log"))) {
      HubApi api = new HubApi(hub, TOKEN);
      api.publish(MODEL, "1.0.0", 1, dir);
      Path root = Files.writeString(dir.resolve("root.json"), api.get("/api/v1/trust/root").body());
      Enrollment enrollment = new Enrollment(hub.url(), TOKEN);
      try (JarProcess a = agent("outage-a", schema, root, mosquitto, enrollment, hub);
          JarProcess b = agent("outage-b", schema, root, mosquitto, enrollment, hub)) {
        api.awaitFleet(schema, 2);
        api.rollout(MODEL, "1.0.0", "\"selector\":\"fleet=" + schema + "\"");
        new Oip(a).awaitVersion(MODEL, INFER, "1.0.0");
        new Oip(b).awaitVersion(MODEL, INFER, "1.0.0");
        run(api, mosquitto, new Oip(a), new Oip(b));
      }
    }
  }

  private void run(HubApi api, SecureMosquitto mosquitto, Oip a, Oip b) throws Exception {
    Load loadA = new Load(a, MODEL, INFER, 1, 10);
    Load loadB = new Load(b, MODEL, INFER, 1, 10);
    Thread.sleep(3_000);
    mosquitto.down();
    long spool = awaitOutage(outageSeconds);
    mosquitto.up();
    long back = System.nanoTime();
    Thread.sleep(3_000);
    Load.Result resultA = loadA.stop();
    Load.Result resultB = loadB.stop();
    long served = resultA.requests() + resultB.requests() + 2; // + the awaitVersion answers
    VersionMetrics totals = awaitTotals(api, served);
    Duration catchUp = Duration.ofNanos(System.nanoTime() - back);
    Thread.sleep(5_000); // later batches, and any repeat, must not change the totals
    VersionMetrics again = api.metrics(MODEL, "1.0.0");
    new Figures("F2 broker outage")
        .add("outage", outageSeconds + "s")
        .add("requests", served)
        .add("failed", resultA.failed() + resultB.failed())
        .add("hubTotal", again.requests())
        .add("catchUp", Figures.seconds(catchUp))
        .add("spoolMaxBytes", spool)
        .report();
    assertEquals(0, resultA.failed(), "agent a: " + resultA.firstFailure());
    assertEquals(0, resultB.failed(), "agent b: " + resultB.firstFailure());
    assertEquals(served, totals.requests());
    assertEquals(served, again.requests(), "counted twice: " + again);
  }

  /** Waits out the outage; returns the largest telemetry journal seen on either agent, in bytes. */
  private long awaitOutage(int seconds) throws Exception {
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    long largest = 0;
    while (System.nanoTime() < end) {
      largest = Math.max(largest, size(dir.resolve("outage-a/telemetry")));
      largest = Math.max(largest, size(dir.resolve("outage-b/telemetry")));
      Thread.sleep(1_000);
    }
    return largest;
  }

  private static long size(Path journal) throws Exception {
    if (!Files.isDirectory(journal)) {
      return 0;
    }
    try (Stream<Path> files = Files.walk(journal)) {
      return files.filter(Files::isRegularFile).mapToLong(BrokerOutageFault::length).sum();
    }
  }

  private static long length(Path file) {
    try {
      return Files.size(file);
    } catch (java.io.IOException gone) {
      return 0; // sent and deleted meanwhile
    }
  }

  private JarProcess agent(
      String id,
      String fleet,
      Path root,
      SecureMosquitto mosquitto,
      Enrollment enrollment,
      JarProcess hub)
      throws Exception {
    String device = id + "-" + System.nanoTime();
    Map<String, String> env = new HashMap<>();
    env.put("FERRY_AGENT_DEVICE_ID", device);
    env.put("FERRY_AGENT_HUB_URL", hub.url());
    env.put(
        "FERRY_AGENT_ENROLLMENT_TOKEN_FILE",
        Enrollment.tokenFile(dir.resolve(id + "-token"), enrollment.token(device)).toString());
    env.put("FERRY_AGENT_LABELS_FLEET", fleet);
    env.put("FERRY_AGENT_TRUST_ROOT", root.toString());
    env.put("FERRY_AGENT_DATA_DIR", dir.resolve(id).toString());
    env.put("FERRY_AGENT_MQTT_URL", mosquitto.deviceUrl());
    env.put("FERRY_AGENT_REGISTRY_PLAIN_HTTP", "127.0.0.1:" + hub.port);
    env.put("FERRY_AGENT_TELEMETRY_INTERVAL", "1s");
    return JarProcess.start("agent", env, dir.resolve(id + ".log"));
  }

  private static VersionMetrics awaitTotals(HubApi api, long requests) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(300);
    VersionMetrics last = null;
    while (System.nanoTime() < deadline) {
      last = api.metrics(MODEL, "1.0.0");
      if (last.requests() >= requests) {
        return last;
      }
      Thread.sleep(250);
    }
    throw new AssertionError("hub totals never reached " + requests + ": " + last);
  }
}
