package dev.ferry.it.capture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ferry.protocol.testing.Services;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The {@code ferry} command installed by {@code deploy/cli/install.sh}, run against one hub. */
public final class Cli {
  private final Path ferry;
  private final String hub;
  private final String token;

  private Cli(Path ferry, String hub, String token) {
    this.ferry = ferry;
    this.hub = hub;
    this.token = token;
  }

  static Cli install(Path prefix, String hub, String token) {
    Services.exec(Services.root().resolve("deploy/cli/install.sh").toString(), prefix.toString());
    return new Cli(prefix.resolve("bin/ferry"), hub, token);
  }

  /** Runs a command that must succeed; returns what it printed. */
  public String run(String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of(ferry.toString()));
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().put("FERRY_HUB_URL", hub);
    builder.environment().put("FERRY_TOKEN", token);
    builder.environment().put("FERRY_CONFIG", "/nonexistent");
    Process process = builder.start();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(process.waitFor(2, TimeUnit.MINUTES), String.join(" ", args));
    assertEquals(0, process.exitValue(), "ferry " + String.join(" ", args) + ": " + out);
    return out;
  }

  /** Runs a command with {@code --json}; returns its JSON. */
  public JsonNode json(String... args) throws Exception {
    return new ObjectMapper().readTree(run(args));
  }
}
