package dev.ferry.it.trust;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ferry.it.fleet.HubApi;
import dev.ferry.it.fleet.JarProcess;
import dev.ferry.it.fleet.Oip;
import dev.ferry.it.identity.Enrollment;
import dev.ferry.protocol.json.JsonCodec;
import dev.ferry.protocol.signing.Ed25519;
import dev.ferry.protocol.signing.Envelope;
import dev.ferry.protocol.signing.PayloadTypes;
import dev.ferry.protocol.signing.Role;
import dev.ferry.protocol.signing.Signer;
import dev.ferry.protocol.signing.TrustRoot;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The trust lifecycle with a real hub and agent (packaged jars, the hub's embedded broker and
 * registry): the hub runs on an offline root's document; root v1 → v2 names a new release key; a
 * release the hub still signs with the old key is refused by the agent; the hub restarted with the
 * new key signs the statements of the published releases again, and a release signed with the new
 * key installs beside another model released before the rotation; the agent restarted with the hub
 * gone still holds root v2. Root v1 → v2 names a new hub key: a device offline through it takes the
 * state waiting for it. A revoked release is replaced on the device by the previous one while a
 * load of inference requests sees no failed request.
 */
class TrustLifecycleIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final JsonCodec CODEC = new JsonCodec();
  private static final String TOKEN =
      dev.ferry.protocol.testing.AdminTokens.random("trust-it-admin");
  private static final String MODEL = "trust-it";
  private static final String OTHER = "trust-it-other";
  private static final String DEVICE = "edge-trust";
  private static final String INFER =
      "{\"inputs\":[{\"name\":\"x\",\"shape\":[1,4],\"datatype\":\"FP32\",\"data\":[1,2,3,4]}]}";

  @TempDir Path dir;
  private final KeyPair rootKey = Ed25519.generate();
  private final KeyPair oldRelease = Ed25519.generate();
  private final KeyPair newRelease = Ed25519.generate();
  private final KeyPair hubKey = Ed25519.generate();
  private final KeyPair newHubKey = Ed25519.generate();

  @Test
  void rotatingTheReleaseKey_reachesTheAgent_whichRefusesTheOldKeyAndKeepsTheRootOffline()
      throws Exception {
    Instant year = Instant.now().plus(Duration.ofDays(365));
    TrustRoot v1 = rootV1(year);
    Path root1 = Files.write(dir.resolve("root-1.json"), CODEC.encode(sign(v1)));
    int mqtt = JarProcess.freePort();
    int port = JarProcess.freePort();
    Map<String, String> agentEnv;
    try (JarProcess process = startHub(mqtt, port, oldRelease, "hub.log")) {
      HubApi hub = new HubApi(process, TOKEN);
      agentEnv = agentEnv(hub, mqtt, root1);
      publish(hub, "1.0.0", 1);
      hub.publish(OTHER, "1.0.0", 4, dir);
      try (JarProcess agent = JarProcess.start("agent", agentEnv, dir.resolve("agent.log"))) {
        String first = rollout(hub, "1.0.0");
        awaitVersion(agent, "1.0.0");
        hub.rollout(OTHER, "1.0.0", "\"devices\":[\"" + DEVICE + "\"]");
        new Oip(agent).awaitVersion(OTHER, INFER, "1.0.0");
        await(() -> rootVersion(hub) == 1, "the agent reports root version 1");
        hub.post("/api/v1/rollouts/" + first + "/cancel", "");

        TrustRoot v2 = v1.withRole(Role.RELEASE, List.of(newRelease.getPublic()), 1).next(year);
        HttpResponse<String> put = hub.put("/api/v1/trust/root", CODEC.encode(sign(v2)));
        assertEquals(200, put.statusCode(), put.body());
        await(() -> rootVersion(hub) == 2, "the agent reports root version 2");

        // the hub still holds the old release key: what it signs now, the agent refuses
        publish(hub, "2.0.0", 2);
        rollout(hub, "2.0.0");
        await(() -> refusedRelease(hub), "the agent refuses the old release key's statement");
        assertEquals("1.0.0", new Oip(agent).served(MODEL, INFER));
      }
    }
    try (JarProcess process = startHub(mqtt, port, newRelease, "hub-new-release.log");
        JarProcess agent = JarProcess.start("agent", agentEnv, dir.resolve("agent-2.log"))) {
      HubApi again = new HubApi(process, TOKEN);
      for (JsonNode rollout : JSON.readTree(again.get("/api/v1/rollouts").body())) {
        again.post("/api/v1/rollouts/" + rollout.get("id").asText() + "/cancel", "");
      }
      // the other model's statement, signed by the old key, would make the agent refuse every
      // state that assigns it: a routine rotation has the hub sign it again
      HttpResponse<String> renewed = again.post("/api/v1/trust/statements/renew", "");
      assertEquals(200, renewed.statusCode(), renewed.body());
      assertTrue(renewed.body().contains("\"name\":\"" + OTHER + "\""), renewed.body());
      publish(again, "3.0.0", 3);
      rollout(again, "3.0.0");
      awaitVersion(agent, "3.0.0");
    }
    try (JarProcess offline =
        JarProcess.start("agent", agentEnv, dir.resolve("agent-offline.log"))) {
      awaitVersion(offline, "3.0.0");
      Path held = dir.resolve("agent/trust/root-2.json");
      Envelope stored = CODEC.decode(Files.readAllBytes(held), Envelope.class);
      assertEquals(2, v1.verifyNext(stored, CODEC).version());
    }
  }

  /**
   * A routine rotation of the hub key: root v2 names a new hub key and the hub restarts with it. A
   * device that was offline meanwhile, with a state still to apply, gets that state signed by the
   * new key as soon as it is back, not in the state's second half of validity, and refuses nothing.
   */
  @Test
  void rotatingTheHubKey_resignsTheStatesTheOldKeySigned_forADeviceThatWasOffline()
      throws Exception {
    Instant year = Instant.now().plus(Duration.ofDays(365));
    TrustRoot v1 = rootV1(year);
    Path root1 = Files.write(dir.resolve("root-1.json"), CODEC.encode(sign(v1)));
    int mqtt = JarProcess.freePort();
    int port = JarProcess.freePort();
    Map<String, String> agentEnv;
    try (JarProcess process = startHub(mqtt, port, oldRelease, hubKey, "hub.log")) {
      HubApi hub = new HubApi(process, TOKEN);
      agentEnv = agentEnv(hub, mqtt, root1);
      publish(hub, "1.0.0", 1);
      publish(hub, "2.0.0", 2);
      try (JarProcess agent = JarProcess.start("agent", agentEnv, dir.resolve("agent.log"))) {
        String first = rollout(hub, "1.0.0");
        awaitVersion(agent, "1.0.0");
        hub.post("/api/v1/rollouts/" + first + "/cancel", "");
      }
      // the device is offline: its next state waits on the broker, signed by the old hub key
      rollout(hub, "2.0.0");
      TrustRoot v2 = v1.withRole(Role.HUB, List.of(newHubKey.getPublic()), 1).next(year);
      HttpResponse<String> put = hub.put("/api/v1/trust/root", CODEC.encode(sign(v2)));
      assertEquals(200, put.statusCode(), put.body());
    }
    try (JarProcess process = startHub(mqtt, port, oldRelease, newHubKey, "hub-new-key.log");
        JarProcess agent = JarProcess.start("agent", agentEnv, dir.resolve("agent-back.log"))) {
      HubApi hub = new HubApi(process, TOKEN);
      awaitVersion(agent, "2.0.0");
      await(() -> rootVersion(hub) == 2, "the agent reports root version 2");
      String events = hub.get("/api/v1/events?device=" + DEVICE).body();
      assertFalse(events.contains("DESIRED_REJECTED"), events);
    }
  }

  @Test
  void aRevokedRelease_isReplacedByThePreviousOne_whileALoadSeesNoFailedRequest() throws Exception {
    TrustRoot v1 = rootV1(Instant.now().plus(Duration.ofDays(365)));
    Path root1 = Files.write(dir.resolve("root-1.json"), CODEC.encode(sign(v1)));
    int mqtt = JarProcess.freePort();
    try (JarProcess process = startHub(mqtt, JarProcess.freePort(), oldRelease, "hub.log")) {
      HubApi hub = new HubApi(process, TOKEN);
      Map<String, String> agentEnv = agentEnv(hub, mqtt, root1);
      publish(hub, "1.0.0", 1);
      publish(hub, "2.0.0", 2);
      try (JarProcess agent = JarProcess.start("agent", agentEnv, dir.resolve("agent.log"))) {
        String first = rollout(hub, "1.0.0");
        awaitVersion(agent, "1.0.0");
        hub.post("/api/v1/rollouts/" + first + "/cancel", "");
        rollout(hub, "2.0.0");
        awaitVersion(agent, "2.0.0");

        Load load = new Load(new Oip(agent), MODEL, INFER, 4);
        await(() -> load.served().contains("2.0.0"), "the load is served by 2.0.0");
        HttpResponse<String> revoked =
            hub.post(
                "/api/v1/models/" + MODEL + "/versions/2.0.0/revoke", "{\"reason\":\"misreads\"}");
        assertEquals(200, revoked.statusCode(), revoked.body());
        awaitVersion(agent, "1.0.0");
        await(() -> load.served().contains("1.0.0"), "the load is served by 1.0.0 again");
        Load.Result result = load.stop();
        assertEquals(0, result.failed(), result.toString());
        assertTrue(
            result.served().contains("1.0.0") && result.served().contains("2.0.0"),
            result.toString());

        await(() -> reportedRevoked(hub).contains(MODEL + "@2.0.0"), "the agent reports it");
        HttpResponse<String> again =
            hub.post(
                "/api/v1/rollouts",
                "{\"model\":\""
                    + MODEL
                    + "\",\"version\":\"2.0.0\",\"devices\":[\""
                    + DEVICE
                    + "\"]}");
        assertEquals(409, again.statusCode(), again.body());
      }
    }
  }

  private String reportedRevoked(HubApi hub) throws Exception {
    return JSON.readTree(hub.get("/api/v1/devices/" + DEVICE).body())
        .path("reported")
        .path("revoked")
        .toString();
  }

  private JarProcess startHub(int mqtt, int port, KeyPair release, String log) throws Exception {
    return startHub(mqtt, port, release, hubKey, log);
  }

  private JarProcess startHub(int mqtt, int port, KeyPair release, KeyPair hub, String log)
      throws Exception {
    Map<String, String> env = new HashMap<>();
    env.put("FERRY_HUB_DATA_DIR", dir.resolve("hub").toString());
    env.put("FERRY_HUB_BOOTSTRAP_TOKEN", TOKEN);
    env.put("FERRY_HUB_MQTT_HOST", "127.0.0.1");
    env.put("FERRY_HUB_MQTT_PORT", String.valueOf(mqtt));
    env.put("FERRY_HUB_KEYS_ROOT_DOCUMENT", dir.resolve("root-1.json").toString());
    env.put("FERRY_HUB_KEYS_RELEASE", keyFile(release, "release").toString());
    env.put("FERRY_HUB_KEYS_HUB", keyFile(hub, "hub").toString());
    return JarProcess.start("hub", env, dir.resolve(log), port);
  }

  private Map<String, String> agentEnv(HubApi api, int mqtt, Path root) throws Exception {
    JarProcess hub = api.hub();
    Map<String, String> env = new HashMap<>();
    env.put("FERRY_AGENT_DEVICE_ID", DEVICE);
    env.put("FERRY_AGENT_TRUST_ROOT", root.toString());
    env.put("FERRY_AGENT_DATA_DIR", dir.resolve("agent").toString());
    env.put("FERRY_AGENT_MQTT_URL", "ssl://127.0.0.1:" + mqtt);
    env.put("FERRY_AGENT_HUB_URL", hub.url());
    env.put(
        "FERRY_AGENT_ENROLLMENT_TOKEN_FILE",
        Enrollment.tokenFile(dir.resolve("token"), new Enrollment(hub.url(), TOKEN).token(DEVICE))
            .toString());
    env.put("FERRY_AGENT_REGISTRY_PLAIN_HTTP", "127.0.0.1:" + hub.port());
    return env;
  }

  /** Root v1: one root key, the old release key, the first hub key. */
  private TrustRoot rootV1(Instant expires) {
    return TrustRoot.initial(
        expires,
        Map.of(
            Role.ROOT, List.of(rootKey.getPublic()),
            Role.RELEASE, List.of(oldRelease.getPublic()),
            Role.HUB, List.of(hubKey.getPublic())),
        1);
  }

  private Envelope sign(TrustRoot root) {
    return new Signer(rootKey).sign(PayloadTypes.ROOT, CODEC.encode(root));
  }

  private Path keyFile(KeyPair pair, String role) throws Exception {
    Path file = dir.resolve(role + "-" + new Signer(pair).keyId().substring(0, 12) + ".pem");
    if (!Files.exists(file)) {
      Files.writeString(file, Ed25519.toPem(pair));
    }
    return file;
  }

  private int rootVersion(HubApi hub) throws Exception {
    JsonNode device = JSON.readTree(hub.get("/api/v1/devices/" + DEVICE).body());
    JsonNode reported = device.path("reported");
    return reported.path("rootVersion").asInt(0);
  }

  private boolean refusedRelease(HubApi hub) throws Exception {
    JsonNode events = JSON.readTree(hub.get("/api/v1/events?device=" + DEVICE).body());
    for (JsonNode event : events) {
      if ("DESIRED_REJECTED".equals(event.path("type").asText())
          && event.toString().contains("UNTRUSTED_RELEASE")) {
        return true;
      }
    }
    return false;
  }

  private void publish(HubApi hub, String version, long seed) throws Exception {
    hub.publish(MODEL, version, seed, dir);
  }

  private String rollout(HubApi hub, String version) throws Exception {
    return hub.rollout(MODEL, version, "\"devices\":[\"" + DEVICE + "\"]");
  }

  private void awaitVersion(JarProcess agent, String version) throws Exception {
    new Oip(agent).awaitVersion(MODEL, INFER, version);
  }

  private interface Check {
    boolean holds() throws Exception;
  }

  private static void await(Check check, String what) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < deadline) {
      if (check.holds()) {
        return;
      }
      Thread.sleep(200);
    }
    throw new AssertionError("timed out waiting until " + what);
  }
}
