package dev.ferry.it.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.ferry.it.fleet.JarProcess;
import dev.ferry.protocol.api.IssuedToken;
import dev.ferry.protocol.api.Rollout;
import dev.ferry.protocol.api.TokenRequest;
import dev.ferry.protocol.testing.OnnxModels;
import dev.ferry.protocol.testing.Services;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The installed {@code ferry} command against a running hub (embedded defaults): tables, JSON and
 * exit codes of publish, models, rollout, devices and events.
 */
class FerryCliIT {
  private static final String ADMIN = dev.ferry.protocol.testing.AdminTokens.random("cli-it-admin");
  private static final ObjectMapper JSON =
      JsonMapper.builder()
          .addModule(new JavaTimeModule())
          .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .build();

  @TempDir static Path dir;
  private static JarProcess hub;
  private static Path ferry;

  private record Result(int code, String out, String err) {}

  @BeforeAll
  static void startTheHubAndInstallTheCommand() throws Exception {
    hub =
        JarProcess.start(
            "hub",
            Map.of(
                "FERRY_HUB_DATA_DIR",
                dir.resolve("hub").toString(),
                "FERRY_HUB_BOOTSTRAP_TOKEN",
                ADMIN,
                "FERRY_HUB_MQTT_HOST",
                "127.0.0.1",
                "FERRY_HUB_MQTT_PORT",
                String.valueOf(JarProcess.freePort())),
            dir.resolve("hub.log"));
    Path prefix = dir.resolve("prefix");
    Process install =
        new ProcessBuilder(
                Services.root().resolve("deploy/cli/install.sh").toString(), prefix.toString())
            .redirectErrorStream(true)
            .start();
    String output = new String(install.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, install.waitFor(), output);
    ferry = prefix.resolve("bin/ferry");
  }

  @AfterAll
  static void stopTheHub() {
    if (hub != null) {
      hub.close();
    }
  }

  /** Issues a token through the API, read as the API's records. */
  private static String token(String role) throws Exception {
    TokenRequest request = new TokenRequest(role + "-" + System.nanoTime(), role);
    HttpResponse<String> response =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create(hub.url() + "/api/v1/tokens"))
                    .header("Authorization", "Bearer " + ADMIN)
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(request)))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertEquals(201, response.statusCode(), response.body());
    IssuedToken issued = JSON.readValue(response.body(), IssuedToken.class);
    assertEquals(role, issued.role());
    return issued.token();
  }

  private static Result ferry(String token, String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of(ferry.toString()));
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command);
    Map<String, String> env = new HashMap<>(Map.of("FERRY_HUB_URL", hub.url()));
    env.put("FERRY_CONFIG", "/nonexistent");
    if (token != null) {
      env.put("FERRY_TOKEN", token);
    }
    builder.environment().remove("FERRY_TOKEN");
    builder.environment().putAll(env);
    Process process = builder.start();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(process.waitFor(2, TimeUnit.MINUTES), String.join(" ", args));
    return new Result(process.exitValue(), out, err);
  }

  @Test
  void publish_refusesAnInterfaceChangeWithinAMajor_untilItIsAskedFor() throws Exception {
    String rm = token("release-manager");
    String model = "cli-if" + System.nanoTime();
    Path first = dir.resolve(model + "-1.onnx");
    OnnxModels.matMulAdd(first, "x", 1, 4, 2, 3);
    Path wider = dir.resolve(model + "-wider.onnx");
    OnnxModels.matMulAdd(wider, "x", 1, 4, 3, 3);
    assertEquals(0, ferry(rm, "publish", model, first.toString(), "--version", "1.0.0").code());

    Result refused = ferry(rm, "publish", model, wider.toString(), "--version", "1.1.0");
    assertEquals(5, refused.code(), refused.err());
    assertTrue(
        refused
            .err()
            .startsWith(
                "ferry: 409 model '"
                    + model
                    + "' 1.1.0 changes the interface of 1.0.0, which clients of 1.x rely on:"
                    + " output 'y' has shape [1, 3], was [1, 2]. Publish it as 2.0.0"),
        refused.err());

    Result asked =
        ferry(rm, "publish", model, wider.toString(), "--version", "1.1.0", "--interface-change");
    assertEquals(0, asked.code(), asked.err());
    assertTrue(asked.out().contains(model + "  1.1.0"), asked.out());
  }

  @Test
  void publishModelsRolloutAndItsActions_withTablesJsonAndExitCodes() throws Exception {
    String rm = token("release-manager");
    String model = "cli" + System.nanoTime();
    Path file = dir.resolve(model + ".onnx");
    OnnxModels.matMulAdd(file, "x", 1, 4, 2, 3);

    Result published = ferry(rm, "publish", model, file.toString(), "--version", "1.0.0");
    assertEquals(0, published.code(), published.err());
    assertTrue(published.out().startsWith("NAME"), published.out());
    assertTrue(published.out().contains(model + "  1.0.0"), published.out());

    Result again = ferry(rm, "publish", model, file.toString(), "--version", "1.0.0");
    assertEquals(5, again.code(), again.err());
    assertTrue(again.err().startsWith("ferry: 409 "), again.err());

    Result models = ferry(rm, "models");
    assertEquals(0, models.code());
    assertTrue(models.out().lines().anyMatch(l -> l.startsWith(model + " ")), models.out());

    Result nobody =
        ferry(rm, "rollout", "create", "--model", model, "--version", "1.0.0", "-l", "site=no");
    assertEquals(1, nobody.code(), nobody.out());
    assertEquals("ferry: 422 selector 'site=no' selects no known device\n", nobody.err());

    Result created =
        ferry(
            rm,
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
    Rollout rollout = JSON.readValue(created.out(), Rollout.class);
    String id = rollout.id();
    assertEquals(2, rollout.waves());
    assertEquals(false, rollout.strategy().autoAdvance());

    Result status = ferry(rm, "rollout", "status", id);
    assertEquals(0, status.code());
    assertTrue(
        status.out().startsWith("rollout " + id + ": " + model + " 1.0.0, RUNNING, wave 1 of 2"),
        status.out());
    assertTrue(status.out().contains("WAVE  DEVICES  PROGRESS"), status.out());

    Result listed = ferry(rm, "rollout", "status");
    assertTrue(listed.out().lines().anyMatch(l -> l.startsWith(id)), listed.out());

    assertEquals(0, ferry(rm, "rollout", "pause", id).code());
    Result twice = ferry(rm, "rollout", "pause", id);
    assertEquals(5, twice.code());
    assertTrue(
        twice.err().contains("is PAUSED; it can be paused only when CREATED or RUNNING"),
        twice.err());
    Result cancelled = ferry(rm, "rollout", "cancel", id, "--json");
    assertEquals("CANCELLED", JSON.readValue(cancelled.out(), Rollout.class).state());
    Result waited = ferry(rm, "rollout", "status", id, "--wait");
    assertEquals(7, waited.code(), "a cancelled rollout did not succeed");

    assertEquals(4, ferry(rm, "rollout", "status", "nope").code());
    Result devices = ferry(rm, "devices", "-l", "site=nowhere");
    assertEquals(0, devices.code(), devices.err());
    assertEquals("ID  ONLINE  LAST SEEN  LABELS  MODELS\n", devices.out());
    Result listedDevices = ferry(rm, "devices", "-l", "cli-it!=x");
    assertTrue(
        listedDevices.out().lines().anyMatch(l -> l.matches("cli-a +no +- +- +-")),
        listedDevices.out());
    assertEquals(0, ferry(rm, "events", "--model", model).code());
  }

  @Test
  void tokensAndReachability_giveTheirOwnExitCodes() throws Exception {
    Result anonymous = ferry(null, "models");
    assertEquals(3, anonymous.code(), anonymous.err());
    Result viewer =
        ferry(
            token("viewer"),
            "rollout",
            "create",
            "--model",
            "m",
            "--version",
            "1",
            "--device",
            "d");
    assertEquals(3, viewer.code(), viewer.err());
    Result away = ferry(null, "models", "--hub", "http://127.0.0.1:9");
    assertEquals(6, away.code());
    assertEquals("ferry: cannot reach the hub at http://127.0.0.1:9\n", away.err());
    assertEquals(2, ferry(null, "rollout", "create", "--model", "m").code(), "bad usage");
    assertEquals(2, ferry(null, "launch").code());
  }
}
