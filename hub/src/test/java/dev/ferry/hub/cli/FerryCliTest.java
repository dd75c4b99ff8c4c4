package dev.ferry.hub.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.hub.Api;
import dev.ferry.hub.HubTestProfile;
import dev.ferry.protocol.testing.OnnxModels;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The {@code ferry} command line against a running hub: tables, JSON, exit codes. */
@QuarkusTest
@TestProfile(HubTestProfile.class)
class FerryCliTest {
  private Map<String, String> saved;
  private String hub;

  private record Result(int code, String out, String err) {}

  @BeforeEach
  void useTheTestHub() {
    saved = HubOptions.environment;
    hub = "http://localhost:" + RestAssured.port;
    as(Api.token("release-manager"));
  }

  @AfterEach
  void restore() {
    HubOptions.environment = saved;
  }

  private void as(String token) {
    HubOptions.environment =
        token == null
            ? Map.of("FERRY_HUB_URL", hub, "FERRY_CONFIG", "/nonexistent")
            : Map.of("FERRY_HUB_URL", hub, "FERRY_TOKEN", token, "FERRY_CONFIG", "/nonexistent");
  }

  private static Result ferry(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Ferry.run(new PrintWriter(out), new PrintWriter(err), args);
    return new Result(code, out.toString(), err.toString());
  }

  @Test
  void publishModelsRolloutAndItsActions_withTablesJsonAndExitCodes() throws Exception {
    String model = "cli" + System.nanoTime();
    Path file = Files.createTempFile("cli", ".onnx");
    OnnxModels.matMulAdd(file, "x", 1, 4, 2, 3);

    Result published = ferry("publish", model, file.toString(), "--version", "1.0.0");
    assertEquals(0, published.code(), published.err());
    assertTrue(published.out().startsWith("NAME"), published.out());
    assertTrue(published.out().contains(model + "  1.0.0"), published.out());

    Result again = ferry("publish", model, file.toString(), "--version", "1.0.0");
    assertEquals(Ferry.CONFLICT, again.code(), again.err());
    assertTrue(again.err().startsWith("ferry: 409 "), again.err());

    Result models = ferry("models");
    assertEquals(0, models.code());
    assertTrue(models.out().lines().anyMatch(l -> l.startsWith(model + " ")), models.out());

    Result nobody =
        ferry("rollout", "create", "--model", model, "--version", "1.0.0", "-l", "site=nowhere");
    assertEquals(Ferry.REFUSED, nobody.code(), nobody.out());
    assertEquals("ferry: 422 selector 'site=nowhere' selects no known device\n", nobody.err());

    Result created =
        ferry(
            "rollout",
            "create",
            "--model",
            model,
            "--version",
            "1.0.0",
            "--device",
            "cli-a",
            "--device",
            "cli-b",
            "--waves",
            "1,100%",
            "--no-auto-advance",
            "--json");
    assertEquals(0, created.code(), created.err());
    JsonNode rollout = HubClient.JSON.readTree(created.out());
    String id = rollout.get("id").asText();
    assertEquals(2, rollout.get("waves").asInt());
    assertEquals(false, rollout.get("strategy").get("autoAdvance").asBoolean());

    Result status = ferry("rollout", "status", id);
    assertEquals(0, status.code());
    assertTrue(
        status.out().startsWith("rollout " + id + ": " + model + " 1.0.0, RUNNING, wave 1 of 2"),
        status.out());
    assertTrue(status.out().contains("WAVE  DEVICES  PROGRESS"), status.out());

    Result listed = ferry("rollout", "status");
    assertTrue(listed.out().lines().anyMatch(l -> l.startsWith(id)), listed.out());

    assertEquals(0, ferry("rollout", "pause", id).code());
    Result twice = ferry("rollout", "pause", id);
    assertEquals(Ferry.CONFLICT, twice.code());
    assertTrue(
        twice.err().contains("is PAUSED; it can be paused only when CREATED or RUNNING"),
        twice.err());
    Result cancelled = ferry("rollout", "cancel", id, "--json");
    assertEquals("CANCELLED", HubClient.JSON.readTree(cancelled.out()).get("state").asText());
    Result waited = ferry("rollout", "status", id, "--wait");
    assertEquals(Ferry.ROLLOUT_NOT_SUCCEEDED, waited.code(), "a cancelled rollout did not succeed");

    assertEquals(Ferry.NOT_FOUND, ferry("rollout", "status", "nope").code());
    Result devices = ferry("devices", "-l", "site=nowhere");
    assertEquals(0, devices.code(), devices.err());
    assertEquals("ID  ONLINE  LAST SEEN  LABELS  MODELS\n", devices.out());
    assertEquals(0, ferry("events", "--model", model).code());
  }

  @Test
  void tokensAndReachability_giveTheirOwnExitCodes() {
    as(null);
    Result anonymous = ferry("models");
    assertEquals(Ferry.UNAUTHORIZED, anonymous.code(), anonymous.err());
    as(Api.token("viewer"));
    Result viewer = ferry("rollout", "create", "--model", "m", "--version", "1", "--device", "d");
    assertEquals(Ferry.UNAUTHORIZED, viewer.code(), viewer.err());
    Result away = ferry("models", "--hub", "http://127.0.0.1:9");
    assertEquals(Ferry.UNAVAILABLE, away.code());
    assertEquals("ferry: cannot reach the hub at http://127.0.0.1:9\n", away.err());
    assertEquals(2, ferry("rollout", "create", "--model", "m").code(), "bad usage");
    assertEquals(2, ferry("launch").code());
  }
}
