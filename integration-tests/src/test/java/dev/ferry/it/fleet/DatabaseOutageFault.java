package dev.ferry.it.fleet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.it.faults.Figures;
import dev.ferry.it.identity.SecureMosquitto;
import dev.ferry.it.sim.FleetSimulator;
import dev.ferry.protocol.api.Rollout;
import dev.ferry.protocol.api.VersionMetrics;
import dev.ferry.protocol.testing.AdminTokens;
import dev.ferry.protocol.testing.CuttingProxy;
import dev.ferry.protocol.testing.Services;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * PostgreSQL gone for {@code faults.db.seconds} (default 20; the figure is 60) in the
 * middle of a rollout to 300 simulated devices that send telemetry: the hub reports itself not
 * ready, then the rollout finishes with each device given exactly one desired state, and the
 * telemetry sent meanwhile is counted exactly once. The outage is a proxy between hub and
 * PostgreSQL that cuts open connections and refuses new ones (the shared PostgreSQL of the other
 * tests stays up).
 */
class DatabaseOutageFault {
  private static final String TOKEN = AdminTokens.random("db-outage-admin");
  private static final String MODEL = "db-outage";
  private static final int DEVICES = 300;

  private final int outageSeconds = Figures.knob("faults.db.seconds", 20);

  @TempDir Path dir;

  @Test
  void databaseGoneMidRollout_hubUnreadyThenTheRolloutFinishes_eachStepOnce() throws Exception {
    Map<String, String> services = new HashMap<>(Services.start("postgres"));
    String schema = "dbout" + System.nanoTime();
    try (SecureMosquitto mosquitto = SecureMosquitto.start(dir.resolve("mosquitto"));
        CuttingProxy database =
            new CuttingProxy(Integer.parseInt(HubApi.pgPort(services)), Long.MAX_VALUE, false)) {
      services.put("FERRY_PG_PORT", database.address().replaceFirst(".*:", ""));
      Map<String, String> env =
          HubApi.onPostgres(services, mosquitto, schema, dir.resolve("hub"), TOKEN);
      try (JarProcess hub = JarProcess.start("hub", env, dir.resolve("hub.log"))) {
        HubApi api = new HubApi(hub, TOKEN);
        api.publish(MODEL, "1.0.0", 1, dir);
        try (FleetSimulator fleet =
            new FleetSimulator("127.0.0.1", mosquitto.devicePort, schema, api.enrolling(DEVICES))) {
          fleet.connect(DEVICES);
          fleet.register(i -> Map.of("fleet", schema));
          api.awaitFleet(schema, DEVICES);
          fleet.follow(api.trustRoot(), FleetSimulator.HEALTHY);
          run(api, database, fleet, schema);
        }
      }
    }
  }

  private void run(HubApi api, CuttingProxy database, FleetSimulator fleet, String tag)
      throws Exception {
    String id =
        api.rollout(
            MODEL,
            "1.0.0",
            "\"selector\":\"fleet="
                + tag
                + "\",\"strategy\":{\"waves\":[\"30\",\"100\",\"100%\"]}");
    api.awaitRollout(id, r -> r.wave() >= 2, "reached wave 2");
    fleet.start(Duration.ofSeconds(1), MODEL, "1.0.0");
    database.down(true);
    long down = System.nanoTime();
    Duration unready = awaitReady(api, false, Duration.ofSeconds(outageSeconds + 30));
    Thread.sleep(Math.max(0, TimeUnit.SECONDS.toMillis(outageSeconds) - unready.toMillis()));
    database.down(false);
    long up = System.nanoTime();
    Duration readyAgain = awaitReady(api, true, Duration.ofSeconds(120));
    Rollout done = api.awaitRollout(id, r -> r.state().equals("SUCCEEDED"), "SUCCEEDED");
    Duration finished = Duration.ofNanos(System.nanoTime() - up);
    fleet.stop();
    long sent = fleet.requestsSent();
    VersionMetrics totals = awaitRequests(api, sent);
    Duration caughtUp = Duration.ofNanos(System.nanoTime() - up);
    Map<String, Integer> distinct = fleet.distinctDesiredReceived();
    long deliveries = fleet.desiredReceived().values().stream().mapToLong(n -> n).sum();
    new Figures("F3 database outage")
        .add("outage", Figures.seconds(Duration.ofNanos(up - down)))
        .add("devices", DEVICES)
        .add("unreadyAfter", Figures.seconds(unready))
        .add("readyAgainAfter", Figures.seconds(readyAgain))
        .add("rolloutDoneAfter", Figures.seconds(finished))
        .add("telemetryExactAfter", Figures.seconds(caughtUp))
        .add("desiredDeliveries", deliveries)
        .add("requestsSent", sent)
        .add("requestsCounted", totals.requests())
        .report();
    assertEquals(DEVICES, (int) done.progress().get("ACTIVE"));
    assertTrue(
        distinct.values().stream().allMatch(n -> n == 1),
        "every device got exactly one desired state: " + distinct);
    assertEquals(sent, totals.requests());
  }

  /** Waits until {@code /q/health/ready} answers 200 (ready) or 503 (not); returns how long. */
  private static Duration awaitReady(HubApi api, boolean ready, Duration limit) throws Exception {
    long start = System.nanoTime();
    int wanted = ready ? 200 : 503;
    int status = api.get("/q/health/ready").statusCode();
    while (status != wanted) {
      assertTrue(
          System.nanoTime() - start < limit.toNanos(),
          "/q/health/ready still answers " + status + " after " + limit);
      Thread.sleep(200);
      status = api.get("/q/health/ready").statusCode();
    }
    return Duration.ofNanos(System.nanoTime() - start);
  }

  private static VersionMetrics awaitRequests(HubApi api, long requests) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
    VersionMetrics last = api.metrics(MODEL, "1.0.0");
    while (last.requests() < requests && System.nanoTime() < deadline) {
      Thread.sleep(500);
      last = api.metrics(MODEL, "1.0.0");
    }
    Thread.sleep(3_000); // a repeat would show now
    return api.metrics(MODEL, "1.0.0");
  }
}
