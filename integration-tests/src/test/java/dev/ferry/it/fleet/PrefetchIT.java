package dev.ferry.it.fleet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ferry.it.identity.Enrollment;
import dev.ferry.protocol.api.DeviceInRollout;
import dev.ferry.protocol.api.Rollout;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A rollout that prefetches, end to end: the hub and two agents as separate processes (the packaged
 * jars, on the hub's embedded broker and registry, over mutual TLS). The device of the later wave
 * fetches the release into its cache when the rollout starts, keeps serving what it has, and swaps
 * from its cache when its wave comes.
 */
class PrefetchIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String TOKEN =
      dev.ferry.protocol.testing.AdminTokens.random("prefetch-it-admin");
  private static final String MODEL = "prefetch-it";
  private static final String INFER =
      "{\"inputs\":[{\"name\":\"x\",\"shape\":[1,4],\"datatype\":\"FP32\",\"data\":[1,2,3,4]}]}";

  @TempDir Path dir;

  @Test
  void laterWave_prefetchesWhenTheRolloutStarts_andSwapsFromItsCacheWhenItsWaveComes()
      throws Exception {
    int mqtt = JarProcess.freePort();
    Map<String, String> hubEnv = HubApi.embedded(dir.resolve("hub"), TOKEN, mqtt);
    try (JarProcess hub = JarProcess.start("hub", hubEnv, dir.resolve("hub.log"))) {
      HubApi api = new HubApi(hub, TOKEN);
      api.publish(MODEL, "1.0.0", 1, dir);
      api.publish(MODEL, "2.0.0", 2, dir);
      Path root = Files.writeString(dir.resolve("root.json"), api.get("/api/v1/trust/root").body());
      List<String> ids = List.of("edge-pa", "edge-pb");
      List<JarProcess> agents = new ArrayList<>();
      try {
        for (String id : ids) {
          agents.add(
              JarProcess.start("agent", agentEnv(hub, mqtt, root, id), dir.resolve(id + ".log")));
        }
        String devices = "\"devices\":[\"edge-pa\",\"edge-pb\"]";
        api.rollout(MODEL, "1.0.0", devices);
        for (JarProcess agent : agents) {
          new Oip(agent).awaitVersion(MODEL, INFER, "1.0.0");
        }

        String id =
            api.rollout(
                MODEL,
                "2.0.0",
                devices
                    + ",\"strategy\":{\"waves\":[\"1\",\"100%\"],\"autoAdvance\":false,"
                    + "\"prefetch\":true}");
        Rollout paused =
            api.awaitRollout(
                id, r -> r.state().equals("PAUSED") && r.wave() == 1, "paused after wave 1");
        assertEquals(Boolean.TRUE, paused.strategy().prefetch());
        String later =
            paused.devices().stream()
                .filter(d -> d.wave() == 2)
                .map(DeviceInRollout::id)
                .findFirst()
                .orElseThrow();
        String first = ids.get(1 - ids.indexOf(later));
        JarProcess laterAgent = agents.get(ids.indexOf(later));
        new Oip(agents.get(ids.indexOf(first))).awaitVersion(MODEL, INFER, "2.0.0");

        awaitEvent(api, later, "PREFETCHED", "2.0.0");
        Rollout counted = api.rolloutState(id);
        assertEquals(1, counted.waveProgress().get(1).prefetched(), counted.toString());
        assertEquals(0, counted.waveProgress().get(0).prefetched(), counted.toString());
        assertEquals("1.0.0", served(laterAgent), "a prefetched release does not serve");
        String state = Files.readString(dir.resolve(later).resolve("state.json"));
        assertTrue(state.contains("\"prefetched\""), state);
        assertEquals(
            List.of(),
            events(api, first, "PREFETCHED"),
            "the first wave was assigned, not sent ahead");

        HttpResponse<String> resumed = api.post("/api/v1/rollouts/" + id + "/resume", "{}");
        assertEquals(200, resumed.statusCode(), resumed.body());
        api.awaitRollout(id, r -> r.state().equals("SUCCEEDED"), "succeeded");
        new Oip(laterAgent).awaitVersion(MODEL, INFER, "2.0.0");
        List<String> sequence = new ArrayList<>();
        for (JsonNode event : eventsOf(api, later)) {
          String type = event.get("type").asText();
          if (event.path("version").asText().equals("2.0.0")
              && List.of("PREFETCHED", "VERIFIED", "ACTIVATED").contains(type)) {
            sequence.add(0, type);
          }
        }
        assertEquals(List.of("PREFETCHED", "VERIFIED", "ACTIVATED"), sequence);
      } finally {
        for (JarProcess agent : agents) {
          agent.close();
        }
      }
    }
  }

  private Map<String, String> agentEnv(JarProcess hub, int mqtt, Path root, String id)
      throws Exception {
    Map<String, String> env = new HashMap<>();
    env.put("FERRY_AGENT_DEVICE_ID", id);
    env.put("FERRY_AGENT_TRUST_ROOT", root.toString());
    env.put("FERRY_AGENT_DATA_DIR", dir.resolve(id).toString());
    env.put("FERRY_AGENT_MQTT_URL", "ssl://127.0.0.1:" + mqtt);
    env.put("FERRY_AGENT_HUB_URL", hub.url());
    env.put(
        "FERRY_AGENT_ENROLLMENT_TOKEN_FILE",
        Enrollment.tokenFile(dir.resolve(id + ".token"), new Enrollment(hub.url(), TOKEN).token(id))
            .toString());
    env.put("FERRY_AGENT_REGISTRY_PLAIN_HTTP", "127.0.0.1:" + hub.port);
    return env;
  }

  private static String served(JarProcess agent) throws Exception {
    HttpResponse<String> response = new Oip(agent).infer(MODEL, INFER);
    assertEquals(200, response.statusCode(), response.body());
    return JSON.readTree(response.body()).get("model_version").asText();
  }

  private static List<JsonNode> eventsOf(HubApi api, String device) throws Exception {
    HttpResponse<String> response =
        api.get("/api/v1/events?device=" + device + "&model=" + MODEL + "&limit=1000");
    assertEquals(200, response.statusCode(), response.body());
    List<JsonNode> events = new ArrayList<>();
    JSON.readTree(response.body()).forEach(events::add);
    return events;
  }

  private static List<String> events(HubApi api, String device, String type) throws Exception {
    return eventsOf(api, device).stream()
        .filter(e -> e.get("type").asText().equals(type))
        .map(e -> e.path("version").asText())
        .toList();
  }

  /** Waits up to 60 s until the hub has stored a device's event of a type for a version. */
  private static void awaitEvent(HubApi api, String device, String type, String version)
      throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (!events(api, device, type).contains(version)) {
      assertTrue(
          System.nanoTime() < deadline,
          "no " + type + " " + version + " from " + device + ": " + eventsOf(api, device));
      Thread.sleep(250);
    }
  }
}
