package dev.ferry.it.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.protocol.testing.Services;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The systemd units in {@code deploy/systemd}: {@code systemd-analyze verify} prints nothing (it
 * exits 0 on unknown keys, so stderr is what counts), their exposure scores stay at or below 3.0
 * and are the ones deploy/README.md states (README.md links there instead of repeating them), and
 * the install scripts (install.sh and the agent's archive and natives scripts) pass shellcheck.
 */
class SystemdUnitsTest {
  private static final Path DEPLOY = Services.root().resolve("deploy");
  private static final Path SYSTEMD = DEPLOY.resolve("systemd");
  private static final Pattern SCORE =
      Pattern.compile("Overall exposure level for \\S+: ([0-9.]+)");

  @TempDir Path dir;

  private record Run(int code, String out, String err) {}

  private static Run run(Path workDir, String... command) throws Exception {
    Process process = new ProcessBuilder(command).directory(workDir.toFile()).start();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(process.waitFor(60, TimeUnit.SECONDS), String.join(" ", command));
    return new Run(process.exitValue(), out, err);
  }

  @Test
  void everyUnit_verifiesWithoutAWord_theAgentWithItsGpuDropIn() throws Exception {
    for (String unit :
        List.of(
            "ferry-agent.service",
            "ferry-hub.service",
            "ferry-crl-reload.path",
            "ferry-crl-reload.service")) {
      // next to its .d directory, so the agent's GPU drop-in is verified with it
      Run verify = run(SYSTEMD, "systemd-analyze", "verify", "./" + unit);
      assertEquals(0, verify.code(), unit + ": " + verify.err());
      assertEquals("", verify.err(), unit + " must verify without warnings");
    }
  }

  @Test
  void exposureScores_areLowAndAreTheOnesDeployReadmeStates() throws Exception {
    double agent = score(copy("ferry-agent.service"));
    double hub = score(copy("ferry-hub.service"));
    double agentWithGpu = score(SYSTEMD.resolve("ferry-agent.service"));
    assertTrue(agent <= 3.0, "agent exposure " + agent);
    assertTrue(hub <= 3.0, "hub exposure " + hub);
    assertTrue(agentWithGpu <= 3.0, "agent with the GPU drop-in " + agentWithGpu);
    String deploy = Files.readString(DEPLOY.resolve("README.md"));
    assertTrue(
        deploy.contains(
            String.format(
                "`ferry-agent.service`%nat %s, %s with the GPU drop-in, and `ferry-hub.service` at %s",
                agent, agentWithGpu, hub)),
        "deploy/README.md states " + agent + ", " + agentWithGpu + ", " + hub);
  }

  @Test
  void installScripts_passShellcheck() throws Exception {
    Run check =
        run(
            DEPLOY,
            "shellcheck",
            "systemd/install.sh",
            "systemd/agent-archive.sh",
            "systemd/agent-natives.sh");
    assertEquals(0, check.code(), check.out());
    Run usage = run(DEPLOY, "bash", "systemd/install.sh", "toaster");
    assertEquals(2, usage.code());
    assertEquals("usage: systemd/install.sh agent|hub [--gpu]\n", usage.err());
  }

  @Test
  void gpuCheckScript_passesShellcheck() throws Exception {
    Run check = run(DEPLOY, "shellcheck", "gpu-check.sh");
    assertEquals(0, check.code(), check.out());
  }

  /** The unit alone, without drop-ins. */
  private Path copy(String unit) throws IOException {
    return Files.copy(SYSTEMD.resolve(unit), dir.resolve(unit));
  }

  private static double score(Path unit) throws Exception {
    Run security =
        run(unit.getParent(), "systemd-analyze", "security", "--offline=true", unit.toString());
    Matcher score = SCORE.matcher(security.out() + security.err());
    assertTrue(score.find(), security.out() + security.err());
    return Double.parseDouble(score.group(1));
  }
}
