package dev.ferry.it.fleet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ferry.it.identity.DeviceIdentity;
import dev.ferry.it.identity.Enrollment;
import dev.ferry.it.identity.MqttProbe;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The hub and an agent as separate processes (the packaged jars), on the hub's embedded broker and
 * registry, the agent enrolled with a token file and on mutual TLS: a release rolled out while the
 * agent serves under load swaps with no failed request, another enrolled device cannot write its
 * desired state, and the agent restarted with the hub gone serves the new version from its cache.
 */
class FleetIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String TOKEN =
      dev.ferry.protocol.testing.AdminTokens.random("fleet-it-admin");
  private static final String INFER =
      "{\"inputs\":[{\"name\":\"x\",\"shape\":[1,4],\"datatype\":\"FP32\",\"data\":[1,2,3,4]}]}";

  @TempDir Path dir;
  private final HttpClient http = HttpClient.newHttpClient();

  @Test
  void rolloutUnderLoad_swapsWithoutAFailedRequestAndTheCacheServesOffline() throws Exception {
    int mqtt = JarProcess.freePort();
    Map<String, String> hubEnv = HubApi.embedded(dir.resolve("hub"), TOKEN, mqtt);
    Map<String, String> agentEnv;
    try (JarProcess hub = JarProcess.start("hub", hubEnv, dir.resolve("hub.log"))) {
      publish(hub, "1.0.0", 1);
      publish(hub, "2.0.0", 2);
      Path root =
          Files.writeString(dir.resolve("root.json"), get(hub.url() + "/api/v1/trust/root"));
      agentEnv = new HashMap<>();
      agentEnv.put("FERRY_AGENT_DEVICE_ID", "edge-it");
      agentEnv.put("FERRY_AGENT_LABELS_SITE", "it");
      agentEnv.put("FERRY_AGENT_TRUST_ROOT", root.toString());
      agentEnv.put("FERRY_AGENT_DATA_DIR", dir.resolve("agent").toString());
      agentEnv.put("FERRY_AGENT_MQTT_URL", "ssl://127.0.0.1:" + mqtt);
      agentEnv.put("FERRY_AGENT_HUB_URL", hub.url());
      agentEnv.put(
          "FERRY_AGENT_ENROLLMENT_TOKEN_FILE",
          Enrollment.tokenFile(dir.resolve("token"), enrollment(hub).token("edge-it")).toString());
      agentEnv.put("FERRY_AGENT_REGISTRY_PLAIN_HTTP", "127.0.0.1:" + hub.port);
      try (JarProcess agent = JarProcess.start("agent", agentEnv, dir.resolve("agent.log"))) {
        rollout(hub, "1.0.0");
        awaitVersion(agent, "1.0.0");

        Load load = new Load(agent, 4);
        load.awaitEachThreadServed("1.0.0", 5);
        rollout(hub, "2.0.0");
        awaitVersion(agent, "2.0.0");
        load.awaitEachThreadServed("2.0.0", 5);
        load.stop();
        assertEquals(List.of(), load.failures);
        for (List<String> versions : load.versionsPerThread) {
          assertEquals("1.0.0", versions.get(0), "the load began before the swap");
          int switched = versions.indexOf("2.0.0");
          assertTrue(switched >= 0, "a thread never saw 2.0.0");
          assertTrue(
              versions.subList(switched, versions.size()).stream().allMatch("2.0.0"::equals),
              "went back after the swap");
        }

        // only the hub writes a desired state: another enrolled device's junk and empty retained
        // state reach nothing (the agent's refusal of replayed and forged states the hub signed is
        // in DeviceIdentityIT, on Mosquitto, where the test holds the hub's identity)
        DeviceIdentity other = enrollment(hub).enroll("edge-other");
        String desired = "ferry/v1/devices/edge-it/desired";
        try (MqttProbe probe = MqttProbe.connect("ssl://127.0.0.1:" + mqtt, other)) {
          probe.publishRefusedOrIgnored(desired, "{\"payloadType\":".getBytes(), false);
          probe.publishRefusedOrIgnored(desired, new byte[0], true);
        }
        Thread.sleep(1000);
        awaitVersion(agent, "2.0.0");
      }
    }
    try (JarProcess offline =
        JarProcess.start("agent", agentEnv, dir.resolve("agent-offline.log"))) {
      awaitVersion(offline, "2.0.0");
    }
  }

  private static Enrollment enrollment(JarProcess hub) {
    return new Enrollment(hub.url(), TOKEN);
  }

  private void publish(JarProcess hub, String version, long seed) throws Exception {
    new HubApi(hub, TOKEN).publish("fleet-it", version, seed, dir);
  }

  private void rollout(JarProcess hub, String version) throws Exception {
    new HubApi(hub, TOKEN).rollout("fleet-it", version, "\"devices\":[\"edge-it\"]");
  }

  private String get(String url) throws Exception {
    return http.send(
            HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString())
        .body();
  }

  private HttpResponse<String> infer(JarProcess agent) throws Exception {
    return new Oip(agent).infer("fleet-it", INFER);
  }

  private void awaitVersion(JarProcess agent, String version) throws Exception {
    new Oip(agent).awaitVersion("fleet-it", INFER, version);
  }

  /** Threads sending inference requests back to back, recording every answer. */
  private final class Load {
    final List<String> failures = Collections.synchronizedList(new ArrayList<>());
    final List<List<String>> versionsPerThread = new ArrayList<>();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final List<Thread> threads = new ArrayList<>();

    Load(JarProcess agent, int count) {
      for (int i = 0; i < count; i++) {
        List<String> versions = Collections.synchronizedList(new ArrayList<>());
        versionsPerThread.add(versions);
        Thread thread =
            new Thread(
                () -> {
                  while (running.get()) {
                    try {
                      HttpResponse<String> response = infer(agent);
                      if (response.statusCode() != 200) {
                        failures.add(response.statusCode() + " " + response.body());
                        continue;
                      }
                      JsonNode body = JSON.readTree(response.body());
                      versions.add(body.get("model_version").asText());
                    } catch (Exception e) {
                      failures.add(e.toString());
                    }
                  }
                });
        thread.start();
        threads.add(thread);
      }
    }

    /** Waits until every load thread has been served by the version this many times. */
    void awaitEachThreadServed(String version, int times) throws InterruptedException {
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (!versionsPerThread.stream().allMatch(v -> served(v, version) >= times)) {
        assertTrue(System.nanoTime() < deadline, "load threads not served by " + version);
        assertEquals(List.of(), failures);
        Thread.sleep(20);
      }
    }

    private static long served(List<String> versions, String version) {
      synchronized (versions) {
        return versions.stream().filter(version::equals).count();
      }
    }

    void stop() throws InterruptedException {
      running.set(false);
      for (Thread thread : threads) {
        thread.join(10_000);
      }
    }
  }
}
