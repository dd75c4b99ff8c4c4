package dev.ferry.it.fleet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.it.faults.Figures;
import dev.ferry.it.faults.Footprint;
import dev.ferry.it.identity.Enrollment;
import dev.ferry.it.identity.SecureMosquitto;
import dev.ferry.it.trust.Load;
import dev.ferry.protocol.testing.AdminTokens;
import dev.ferry.protocol.testing.Services;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A soak: hub (Mosquitto, PostgreSQL) and one enrolled agent serving a steady load with telemetry
 * every second, a new version published and rolled out every {@code faults.soak.swap.seconds}
 * (default 60), for {@code faults.soak.minutes} (default 30). No request fails; from the start
 * (after the first swap) to the end, each process's heap after a full collection grows by less than
 * 32 MiB, its resident memory by less than 25% + 64 MiB, its threads by at most 10 and its open
 * files by at most 20.
 */
class SoakFault {
  private static final String TOKEN = AdminTokens.random("soak-admin");
  private static final String MODEL = "soak";
  private static final String INFER = Oip.request(4);

  private final int minutes = Figures.knob("faults.soak.minutes", 30);
  private final int swapSeconds = Figures.knob("faults.soak.swap.seconds", 60);

  @TempDir Path dir;

  @Test
  void steadyServingWithASwapEveryMinute_footprintStaysFlat() throws Exception {
    Map<String, String> services = Services.start("postgres");
    String schema = "soak" + System.nanoTime();
    try (SecureMosquitto mosquitto = SecureMosquitto.start(dir.resolve("mosquitto"));
        JarProcess hub =
            JarProcess.start(
                "hub",
                HubApi.onPostgres(services, mosquitto, schema, dir.resolve("hub"), TOKEN),
                dir.resolve("hub.log"))) {
      HubApi api = new HubApi(hub, TOKEN);
      api.publish(MODEL, "1.0.0", 1, dir);
      Path root = Files.writeString(dir.resolve("root.json"), api.get("/api/v1/trust/root").body());
      try (JarProcess agent = agent(schema, root, mosquitto, hub)) {
        api.awaitFleet(schema, 1);
        api.rollout(MODEL, "1.0.0", "\"selector\":\"fleet=" + schema + "\"");
        new Oip(agent).awaitVersion(MODEL, INFER, "1.0.0");
        soak(api, hub, agent, schema);
      }
    }
  }

  private void soak(HubApi api, JarProcess hub, JarProcess agent, String fleet) throws Exception {
    Oip oip = new Oip(agent);
    Load load = new Load(oip, MODEL, INFER, 2, 5);
    int version = 2;
    swap(api, oip, fleet, version++);
    Footprint hubStart = Footprint.of(hub.pid());
    Footprint agentStart = Footprint.of(agent.pid());
    long start = System.nanoTime();
    long end = start + Duration.ofMinutes(minutes).toNanos();
    while (System.nanoTime() < end) {
      Thread.sleep(
          Math.min(swapSeconds * 1000L, Math.max(0, (end - System.nanoTime()) / 1_000_000)));
      swap(api, oip, fleet, version++);
    }
    Duration ran = Duration.ofNanos(System.nanoTime() - start);
    Load.Result result = load.stop();
    Footprint hubEnd = Footprint.of(hub.pid());
    Footprint agentEnd = Footprint.of(agent.pid());
    new Figures("F7 soak")
        .add("ran", Figures.seconds(ran))
        .add("swaps", version - 3)
        .add("requests", result.requests())
        .add("failed", result.failed())
        .add("hubStart", "[" + hubStart + "]")
        .add("hubEnd", "[" + hubEnd + "]")
        .add("agentStart", "[" + agentStart + "]")
        .add("agentEnd", "[" + agentEnd + "]")
        .report();
    assertEquals(0, result.failed(), result.firstFailure());
    flat("hub", hubStart, hubEnd);
    flat("agent", agentStart, agentEnd);
  }

  /** Publishes version n, rolls it out and waits until the agent serves it. */
  private void swap(HubApi api, Oip oip, String fleet, int n) throws Exception {
    String version = n + ".0.0";
    api.publish(MODEL, version, n, dir);
    api.rollout(MODEL, version, "\"selector\":\"fleet=" + fleet + "\"");
    oip.awaitVersion(MODEL, INFER, version);
  }

  private static void flat(String who, Footprint start, Footprint end) {
    assertTrue(
        end.heapBytes() < start.heapBytes() + (32L << 20), who + " heap: " + start + " → " + end);
    assertTrue(
        end.rssBytes() < start.rssBytes() * 5 / 4 + (64L << 20),
        who + " rss: " + start + " → " + end);
    assertTrue(end.threads() <= start.threads() + 10, who + " threads: " + start + " → " + end);
    assertTrue(end.fds() <= start.fds() + 20, who + " fds: " + start + " → " + end);
  }

  private JarProcess agent(String fleet, Path root, SecureMosquitto mosquitto, JarProcess hub)
      throws Exception {
    String device = "soak-" + System.nanoTime();
    Map<String, String> env = new HashMap<>();
    env.put("FERRY_AGENT_DEVICE_ID", device);
    env.put("FERRY_AGENT_HUB_URL", hub.url());
    env.put(
        "FERRY_AGENT_ENROLLMENT_TOKEN_FILE",
        Enrollment.tokenFile(
                dir.resolve("agent-token"), new Enrollment(hub.url(), TOKEN).token(device))
            .toString());
    env.put("FERRY_AGENT_LABELS_FLEET", fleet);
    env.put("FERRY_AGENT_TRUST_ROOT", root.toString());
    env.put("FERRY_AGENT_DATA_DIR", dir.resolve("agent").toString());
    env.put("FERRY_AGENT_MQTT_URL", mosquitto.deviceUrl());
    env.put("FERRY_AGENT_REGISTRY_PLAIN_HTTP", "127.0.0.1:" + hub.port);
    env.put("FERRY_AGENT_TELEMETRY_INTERVAL", "1s");
    return JarProcess.start("agent", env, dir.resolve("agent.log"));
  }
}
