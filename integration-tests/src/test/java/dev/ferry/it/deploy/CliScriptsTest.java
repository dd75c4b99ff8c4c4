package dev.ferry.it.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.protocol.testing.Services;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The {@code ferry} command's scripts in {@code deploy/cli} (the launcher and its installer) and
 * the agent image's entrypoint pass shellcheck as POSIX sh; {@code hub/cli}'s {@code
 * FerryCommandIT} installs and runs the first two, {@code ContainerImagesIT} the entrypoint.
 */
class CliScriptsTest {
  private static final Path DEPLOY = Services.root().resolve("deploy");

  @Test
  void launcherAndInstaller_passShellcheckAsPosixSh() throws Exception {
    assertShellcheckClean(DEPLOY, "cli/ferry", "cli/install.sh");
  }

  @Test
  void agentImageEntrypoint_passesShellcheckAsPosixSh() throws Exception {
    assertShellcheckClean(Services.root().resolve("agent/src/main/jib"), "opt/ferry/agent.sh");
  }

  private static void assertShellcheckClean(Path dir, String... scripts) throws Exception {
    List<String> command = new ArrayList<>(List.of("shellcheck", "--shell=sh"));
    command.addAll(List.of(scripts));
    Process check =
        new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
    String out = new String(check.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(check.waitFor(60, TimeUnit.SECONDS));
    assertEquals(0, check.exitValue(), out);
    assertEquals("", out);
  }
}
