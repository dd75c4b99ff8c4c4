package dev.ferry.it.fleet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ferry.it.identity.DeviceIdentity;
import dev.ferry.it.identity.Enrollment;
import dev.ferry.protocol.api.DeviceInRollout;
import dev.ferry.protocol.api.Rollout;
import dev.ferry.protocol.api.ServedMetrics;
import dev.ferry.protocol.oci.Digest;
import dev.ferry.protocol.testing.Services;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Releases with two variants published to the hub's embedded registry as an OCI image index that
 * skopeo reads, rolled out to real agents on a machine without CUDA: FP32 for CPU and FP16 for
 * CUDA/TensorRT on one agent, which chooses the CPU variant; two CPU variants on two agents whose
 * precision preferences differ, which choose one each. Each agent fetches its variant's layers
 * only, serves it and reports it; the hub's device and rollout views show it, and the rollout view
 * what each variant served.
 */
class VariantsIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String TOKEN =
      dev.ferry.protocol.testing.AdminTokens.random("variants-it-admin");
  private static final String INFER =
      "{\"inputs\":[{\"name\":\"x\",\"shape\":[1,4],\"datatype\":\"FP32\",\"data\":[1,2,3,4]}]}";

  @TempDir Path dir;

  @Test
  void twoVariants_theAgentWithoutCudaChoosesFetchesAndServesTheCpuOne() throws Exception {
    int mqtt = JarProcess.freePort();
    try (JarProcess hub = JarProcess.start("hub", hubEnv(mqtt), dir.resolve("hub.log"))) {
      HubApi api = new HubApi(hub, TOKEN);
      Map<String, Path> files = api.publishVariants("variants-it", "1.0.0", 3, dir);
      DeviceIdentity reader = new Enrollment(hub.url(), TOKEN).enroll("skopeo-reader");
      JsonNode index = skopeoIndex(hub, reader);
      assertEquals("application/vnd.oci.image.index.v1+json", index.get("mediaType").asText());
      assertEquals(2, index.get("manifests").size());
      assertEquals(
          "fp16-cuda", index.at("/manifests/1/annotations/dev.ferry.variant.name").asText());
      assertEquals(
          "CUDA,TENSORRT",
          index.at("/manifests/1/annotations/dev.ferry.variant.providers").asText());

      Path agentData = dir.resolve("agent");
      try (JarProcess agent =
          JarProcess.start(
              "agent", agentEnv(hub, mqtt, agentData, "edge-variants"), dir.resolve("agent.log"))) {
        String rollout = api.rollout("variants-it", "1.0.0", "\"devices\":[\"edge-variants\"]");
        new Oip(agent).awaitVersion("variants-it", INFER, "1.0.0");

        assertTrue(cached(agentData, files.get("fp32")), "the CPU variant's weights are cached");
        assertFalse(cached(agentData, files.get("fp16")), "the CUDA variant's were fetched");

        JsonNode active = activeVersion(api, "edge-variants");
        assertEquals("fp32-cpu", active.get("variant").asText());
        assertEquals("CPU", active.get("executionProvider").asText());
        DeviceInRollout device = awaitRolloutVariant(api, rollout, "edge-variants");
        assertEquals("fp32-cpu", device.variant());
      }
    }
  }

  @Test
  void twoCpuVariants_twoAgentsWithDifferentPrecisionPreferencesServeOneEach() throws Exception {
    int mqtt = JarProcess.freePort();
    try (JarProcess hub = JarProcess.start("hub", hubEnv(mqtt), dir.resolve("hub.log"))) {
      HubApi api = new HubApi(hub, TOKEN);
      Map<String, Path> files = api.publishCpuVariants("variants-it", "1.0.0", 5, dir);
      Path fp32Data = dir.resolve("agent-fp32");
      Path fp16Data = dir.resolve("agent-fp16");
      Map<String, String> fp32Env = agentEnv(hub, mqtt, fp32Data, "edge-fp32");
      Map<String, String> fp16Env = agentEnv(hub, mqtt, fp16Data, "edge-fp16");
      fp32Env.put("FERRY_AGENT_EXECUTION_PROVIDERS", "CPU");
      fp16Env.put("FERRY_AGENT_EXECUTION_PROVIDERS", "CPU");
      fp16Env.put("FERRY_AGENT_PRECISIONS", "FP16,FP32");
      fp32Env.put("FERRY_AGENT_TELEMETRY_INTERVAL", "1s");
      fp16Env.put("FERRY_AGENT_TELEMETRY_INTERVAL", "1s");
      try (JarProcess fp32Agent = JarProcess.start("agent", fp32Env, dir.resolve("fp32.log"));
          JarProcess fp16Agent = JarProcess.start("agent", fp16Env, dir.resolve("fp16.log"))) {
        // metric gates that wait for more requests than the test serves: the rollout stays
        // RUNNING, and what each variant served is summed and shown meanwhile
        String rollout =
            api.rollout(
                "variants-it",
                "1.0.0",
                "\"devices\":[\"edge-fp32\",\"edge-fp16\"],\"strategy\":{\"probationSeconds\":1,"
                    + "\"metricGates\":{\"maxErrorRateIncrease\":0.5,\"minRequests\":100000}}");
        new Oip(fp32Agent).awaitVersion("variants-it", INFER, "1.0.0");
        new Oip(fp16Agent).awaitVersion("variants-it", INFER, "1.0.0");

        assertTrue(cached(fp32Data, files.get("fp32")), "edge-fp32 caches the FP32 weights");
        assertFalse(cached(fp32Data, files.get("fp16")), "edge-fp32 fetched the FP16 variant");
        assertTrue(cached(fp16Data, files.get("fp16")), "edge-fp16 caches the FP16 weights");
        assertFalse(cached(fp16Data, files.get("fp32")), "edge-fp16 fetched the FP32 variant");

        for (String[] expected :
            new String[][] {{"edge-fp32", "fp32-cpu"}, {"edge-fp16", "fp16-cpu"}}) {
          JsonNode active = activeVersion(api, expected[0]);
          assertEquals(expected[1], active.get("variant").asText(), expected[0]);
          assertEquals("CPU", active.get("executionProvider").asText(), expected[0]);
          assertEquals(
              expected[1], awaitRolloutVariant(api, rollout, expected[0]).variant(), expected[0]);
        }
        new Oip(fp32Agent).served("variants-it", INFER);
        new Oip(fp16Agent).served("variants-it", INFER);
        assertTrue(
            new Oip(fp16Agent)
                .get("/q/metrics")
                .body()
                .contains(
                    "ferry_inference_requests_total{model=\"variants-it\",provider=\"CPU\","
                        + "variant=\"fp16-cpu\",version=\"1.0.0\"}"),
            "the agent's own metrics name the variant that served");
        Rollout served =
            api.awaitRollout(
                rollout,
                r -> servedVariants(r).equals(Set.of("fp16-cpu", "fp32-cpu")),
                "showed what each variant served");
        assertEquals(
            List.of("CPU", "CPU"),
            served.metrics().stream().map(ServedMetrics::provider).toList(),
            served.toString());
      }
    }
  }

  private Map<String, String> hubEnv(int mqtt) {
    return HubApi.embedded(dir.resolve("hub"), TOKEN, mqtt);
  }

  private Map<String, String> agentEnv(JarProcess hub, int mqtt, Path data, String deviceId)
      throws Exception {
    Path root =
        Files.writeString(
            dir.resolve("root.json"), new HubApi(hub, TOKEN).get("/api/v1/trust/root").body());
    Map<String, String> env = new HashMap<>();
    env.put("FERRY_AGENT_DEVICE_ID", deviceId);
    env.put("FERRY_AGENT_TRUST_ROOT", root.toString());
    env.put("FERRY_AGENT_DATA_DIR", data.toString());
    env.put("FERRY_AGENT_MQTT_URL", "ssl://127.0.0.1:" + mqtt);
    env.put("FERRY_AGENT_HUB_URL", hub.url());
    // a GPU-first preference on a machine whose ONNX Runtime offers CPU only
    env.put("FERRY_AGENT_EXECUTION_PROVIDERS", "TENSORRT,CUDA,CPU");
    Enrollment enrollment = new Enrollment(hub.url(), TOKEN);
    env.put(
        "FERRY_AGENT_ENROLLMENT_TOKEN_FILE",
        Enrollment.tokenFile(dir.resolve("token-" + deviceId), enrollment.token(deviceId))
            .toString());
    env.put("FERRY_AGENT_REGISTRY_PLAIN_HTTP", "127.0.0.1:" + hub.port);
    return env;
  }

  /** The release's tag as skopeo reads it raw, with an enrolled device's credential. */
  private static JsonNode skopeoIndex(JarProcess hub, DeviceIdentity reader) throws Exception {
    String raw =
        Services.exec(
                "skopeo",
                "inspect",
                "--raw",
                "--tls-verify=false",
                "--creds",
                reader.name() + ":" + reader.password(),
                "docker://127.0.0.1:" + hub.port + "/models/variants-it:1.0.0")
            .strip();
    return JSON.readTree(raw);
  }

  private static boolean cached(Path agentData, Path model) throws Exception {
    String hex = Digest.of(Files.readAllBytes(model)).hex();
    return Files.exists(agentData.resolve("blobs/sha256").resolve(hex));
  }

  /** The device's active version of the model, as the hub shows its reported state. */
  private static JsonNode activeVersion(HubApi api, String deviceId) throws Exception {
    long deadline = System.nanoTime() + 30_000_000_000L;
    while (true) {
      String reported = api.device(deviceId).reported();
      JsonNode active = reported == null ? null : JSON.readTree(reported).at("/models/0/active");
      if (active != null && active.has("variant") || System.nanoTime() > deadline) {
        return active;
      }
      Thread.sleep(200);
    }
  }

  /** The variants of 1.0.0 a rollout view shows metrics of. */
  private static Set<String> servedVariants(Rollout rollout) {
    return rollout.metrics() == null
        ? Set.of()
        : rollout.metrics().stream()
            .filter(m -> m.version().equals("1.0.0") && m.requests() > 0)
            .map(ServedMetrics::variant)
            .collect(Collectors.toSet());
  }

  private static DeviceInRollout awaitRolloutVariant(HubApi api, String rollout, String deviceId)
      throws Exception {
    long deadline = System.nanoTime() + 30_000_000_000L;
    while (true) {
      DeviceInRollout device =
          api.rolloutState(rollout).devices().stream()
              .filter(d -> d.id().equals(deviceId))
              .findFirst()
              .orElseThrow();
      if (device.variant() != null || System.nanoTime() > deadline) {
        return device;
      }
      Thread.sleep(200);
    }
  }
}
