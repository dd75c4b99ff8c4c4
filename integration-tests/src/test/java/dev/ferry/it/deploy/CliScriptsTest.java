package dev.ferry.it.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.protocol.testing.Services;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The {@code ferry} command's scripts in {@code deploy/cli} (the launcher and its installer) pass
 * shellcheck as POSIX sh; {@code hub/cli}'s {@code FerryCommandIT} installs and runs them.
 */
class CliScriptsTest {
  private static final Path DEPLOY = Services.root().resolve("deploy");

  @Test
  void launcherAndInstaller_passShellcheckAsPosixSh() throws Exception {
    Process check =
        new ProcessBuilder("shellcheck", "--shell=sh", "cli/ferry", "cli/install.sh")
            .directory(DEPLOY.toFile())
            .redirectErrorStream(true)
            .start();
    String out = new String(check.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(check.waitFor(60, TimeUnit.SECONDS));
    assertEquals(0, check.exitValue(), out);
    assertEquals("", out);
  }
}
