package dev.ferry.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ferry.protocol.oci.Digest;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CaptureCommandTest {
  private static final String API = "/api/v1/models/det/versions/1.0.0/captures";

  private final FakeHub hub;
  private Map<String, String> saved;

  @TempDir Path dir;

  CaptureCommandTest() throws Exception {
    hub = new FakeHub();
  }

  @BeforeEach
  void useTheFakeHub() {
    saved = HubOptions.environment;
    HubOptions.environment =
        Map.of("FERRY_HUB_URL", hub.url(), "FERRY_TOKEN", "fy_test", "FERRY_CONFIG", "/none");
  }

  @AfterEach
  void restore() {
    HubOptions.environment = saved;
    hub.close();
  }

  @Test
  void pull_writesEveryLayerByItsFilePathAfterCheckingItsDigest() throws Exception {
    String index = "{\"sample\":\"s-1\"}\n";
    String tensor = "NUMPY-bytes";
    String manifest =
        "{\"schemaVersion\":2,\"layers\":["
            + layer(index, "index.jsonl")
            + ","
            + layer(tensor, "tensors/dev-1.s-1-0.npy")
            + "]}";
    String manifestDigest = digest(manifest);
    hub.answer(
        API + "/1.0.0-2026-05-04",
        200,
        "{\"name\":\"1.0.0-2026-05-04\",\"reference\":\"hub:8080/models/det/captures:1.0.0-2026-05-04\","
            + "\"digest\":\""
            + manifestDigest
            + "\",\"samples\":1}");
    hub.answer("/v2/models/det/captures/manifests/" + manifestDigest, 200, manifest);
    hub.answer("/v2/models/det/captures/blobs/" + digest(index), 200, index);
    hub.answer("/v2/models/det/captures/blobs/" + digest(tensor), 200, tensor);

    int code = ferry("capture", "pull", "det", "1.0.0", "1.0.0-2026-05-04", "-o", dir.toString());

    assertEquals(0, code);
    assertEquals(index, Files.readString(dir.resolve("index.jsonl")));
    assertEquals(tensor, Files.readString(dir.resolve("tensors/dev-1.s-1-0.npy")));
    assertEquals("Bearer fy_test", hub.last().authorization());
  }

  @Test
  void pull_fromAnExternalRegistryGoesThereWithoutTheHubsToken() throws Exception {
    String index = "{\"sample\":\"s-1\"}\n";
    String manifest = "{\"schemaVersion\":2,\"layers\":[" + layer(index, "index.jsonl") + "]}";
    String manifestDigest = digest(manifest);
    hub.answer(
        API + "/1.0.0-2026-05-04",
        200,
        "{\"name\":\"1.0.0-2026-05-04\",\"reference\":\"reg:5000/ferry/models/det/captures:1.0.0-2026-05-04\","
            + "\"digest\":\""
            + manifestDigest
            + "\",\"samples\":1}");
    try (FakeHub registry = new FakeHub()) {
      registry.answer("/v2/ferry/models/det/captures/manifests/" + manifestDigest, 200, manifest);
      registry.answer("/v2/ferry/models/det/captures/blobs/" + digest(index), 200, index);

      int code =
          ferry(
              "capture",
              "pull",
              "det",
              "1.0.0",
              "1.0.0-2026-05-04",
              "-o",
              dir.toString(),
              "--registry",
              registry.url());

      assertEquals(0, code);
      assertEquals(index, Files.readString(dir.resolve("index.jsonl")));
      assertEquals(null, registry.last().authorization());
    }
  }

  @Test
  void pack_postsTheDayAndListsTheDatasetsMade() {
    hub.answer(
        API + "/pack",
        200,
        "[{\"name\":\"1.0.0-2026-05-04\",\"reference\":\"r/x:1\",\"samples\":3,\"devices\":[\"d1\"]}]");
    StringWriter out = new StringWriter();
    int code =
        Ferry.run(
            new PrintWriter(out),
            new PrintWriter(new StringWriter()),
            "capture",
            "pack",
            "det",
            "1.0.0",
            "--day",
            "2026-05-04");
    assertEquals(0, code);
    assertEquals("POST", hub.last().method());
    assertEquals(API + "/pack?day=2026-05-04", hub.last().uri());
    assertEquals(true, out.toString().contains("1.0.0-2026-05-04"), out.toString());
  }

  @Test
  void list_namesThePolicyEachDatasetWasCapturedUnder() {
    String digest = "sha256:" + "0123456789ab".repeat(5) + "cdef";
    hub.answer(
        API,
        200,
        "[{\"name\":\"1.0.0-2026-05-04\",\"reference\":\"r/x:1\",\"samples\":3,"
            + "\"devices\":[\"d1\"],\"from\":\"F\",\"to\":\"T\",\"capturedUnder\":"
            + "{\"scope\":\"rollout\",\"rollout\":\"r-1\",\"digest\":\""
            + digest
            + "\",\"policy\":{}}},"
            + "{\"name\":\"1.0.0-2026-05-04-2\",\"reference\":\"r/x:2\",\"samples\":1,"
            + "\"devices\":[\"d2\"],\"from\":\"F\",\"to\":\"T\",\"capturedUnder\":"
            + "{\"scope\":\"release\",\"rollout\":null,\"digest\":\""
            + digest
            + "\",\"policy\":{}}},"
            + "{\"name\":\"1.0.0-2026-05-03\",\"reference\":\"r/x:3\",\"samples\":1,"
            + "\"devices\":[],\"from\":\"F\",\"to\":\"T\",\"capturedUnder\":null}]");
    StringWriter out = new StringWriter();

    int code =
        Ferry.run(
            new PrintWriter(out),
            new PrintWriter(new StringWriter()),
            "capture",
            "list",
            "det",
            "1.0.0");

    assertEquals(0, code);
    String[] lines = out.toString().split("\n");
    assertEquals(
        List.of("DATASET", "SAMPLES", "DEVICES", "FROM", "TO", "POLICY", "REFERENCE"),
        List.of(lines[0].trim().split(" +")));
    String shortDigest = "sha256:0123456789ab";
    assertEquals(
        "1.0.0-2026-05-04 3 1 F T rollout r-1 " + shortDigest + " r/x:1",
        lines[1].trim().replaceAll(" +", " "));
    assertEquals(
        "1.0.0-2026-05-04-2 1 1 F T release " + shortDigest + " r/x:2",
        lines[2].trim().replaceAll(" +", " "));
    assertEquals("1.0.0-2026-05-03 1 0 F T - r/x:3", lines[3].trim().replaceAll(" +", " "));
  }

  @Test
  void policySet_putsThePolicyJson_andPrintsWhatTheHubStored() {
    hub.answer(
        API + "/policy",
        200,
        "{\"policy\":{\"sampleRate\":0.01,\"maxPerHour\":60,\"maxBytesPerDay\":52428800,"
            + "\"tensors\":\"BOTH\",\"preferFailed\":true,\"selector\":{}},\"devicesResigned\":3}");
    StringWriter out = new StringWriter();
    int code =
        Ferry.run(
            new PrintWriter(out),
            new PrintWriter(new StringWriter()),
            "capture",
            "policy-set",
            "det",
            "1.0.0",
            "--rate",
            "0.01",
            "--prefer-failed");
    assertEquals(0, code);
    String[] lines = out.toString().split("\n");
    assertEquals("0.01 60 52428800 BOTH true - 3", lines[1].trim().replaceAll(" +", " "));
    assertEquals("PUT", hub.last().method());
    assertEquals(
        "{\"sampleRate\":0.01,\"maxPerHour\":60,\"maxBytesPerDay\":52428800,\"tensors\":\"BOTH\","
            + "\"preferFailed\":true,\"confidenceBelow\":null,\"confidenceOutput\":null,\"selector\":{}}",
        hub.last().body());
  }

  @Test
  void policySet_onARolloutPutsToTheRolloutsPolicy() {
    hub.answer("/api/v1/rollouts/r-1/capture-policy", 200, "{}");
    int code = ferry("capture", "policy-set", "--rollout", "r-1", "--rate", "1", "-l", "site=b");
    assertEquals(0, code);
    assertEquals("PUT", hub.last().method());
    assertEquals("/api/v1/rollouts/r-1/capture-policy", hub.last().uri());
    assertEquals(
        "{\"sampleRate\":1.0,\"maxPerHour\":60,\"maxBytesPerDay\":52428800,\"tensors\":\"BOTH\","
            + "\"preferFailed\":false,\"confidenceBelow\":null,\"confidenceOutput\":null,"
            + "\"selector\":{\"site\":\"b\"}}",
        hub.last().body());
  }

  @Test
  void policyClear_refusesBothScopesAtOnce() {
    hub.answer("/api/v1/rollouts/r-1/capture-policy", 200, "{}");
    assertEquals(2, ferry("capture", "policy-clear", "det", "1.0.0", "--rollout", "r-1"));
    assertEquals(0, ferry("capture", "policy-clear", "--rollout", "r-1"));
    assertEquals("DELETE", hub.last().method());
    assertEquals("/api/v1/rollouts/r-1/capture-policy", hub.last().uri());
  }

  private static String layer(String content, String filepath) {
    return "{\"mediaType\":\"application/vnd.cncf.model.dataset.v1.raw\",\"digest\":\""
        + digest(content)
        + "\",\"size\":"
        + content.length()
        + ",\"annotations\":{\"org.cncf.model.filepath\":\""
        + filepath
        + "\"}}";
  }

  private static String digest(String content) {
    return Digest.of(content.getBytes(StandardCharsets.UTF_8)).toString();
  }

  private static int ferry(String... args) {
    return Ferry.run(
        new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()), args);
  }
}
