package dev.ferry.it.deploy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.it.fleet.JarProcess;
import dev.ferry.protocol.testing.Services;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The class-data archive the agent makes of its own run, through the image's entrypoint ({@code
 * agent/src/main/jib/opt/ferry/agent.sh}) on this machine's JVM: a run writes it as it stops and
 * has vouched for it, the next start maps it ({@code -Xshare:on} refuses to start on an archive it
 * cannot map) and keeps it, and one the JVM could not map or made for another JVM or build is
 * removed, for the start after to write again.
 */
class AgentClassArchiveIT {
  private static final Duration LOGGED = Duration.ofSeconds(60);
  private static final Path ENTRYPOINT =
      Services.root().resolve("agent/src/main/jib/opt/ferry/agent.sh");

  @TempDir Path dir;

  @Test
  void runWritesItAsItStops_theNextMapsIt_oneUnmappedOrOfAnotherBuildIsRemoved() throws Exception {
    Path archive = dir.resolve("data/class-data/agent.jsa");
    Path key = archive.resolveSibling("agent.jsa.key");

    try (JarProcess first = start("first.log")) {
      awaitLine(
          first, "first.log", "class-data archive " + archive + " is written when the agent stops");
      assertFalse(Files.exists(archive), "written before the stop");
    }
    assertFalse(Files.exists(archive.resolveSibling("agent.jsa.new")), "not moved into place");
    assertTrue(Files.size(archive) > 1 << 20, "archive of " + Files.size(archive) + " bytes");
    assertFalse(Files.readString(dir.resolve("first.log")).contains("[cds]"), "HotSpot's warnings");
    byte[] written = Files.readAllBytes(archive);
    String madeFor = Files.readString(key);
    assertTrue(madeFor.startsWith("vm " + System.getProperty("java.vm.version")), madeFor);

    try (JarProcess next = start("next.log", "-Xshare:on")) {
      awaitLine(next, "next.log", "class-data archive " + archive + " matches this JVM and build");
    }
    assertArrayEquals(written, Files.readAllBytes(archive));

    byte[] noise = new byte[65_536];
    new Random(7).nextBytes(noise);
    Files.write(archive, noise); // not an archive HotSpot maps
    try (JarProcess unmapped = start("unmapped.log")) {
      awaitLine(
          unmapped, "unmapped.log", "could not be mapped (cut short, or another JVM's): removed");
    }
    assertFalse(Files.exists(archive), "archive left");
    assertFalse(Files.exists(key), "key left");

    Files.write(archive, written);
    Files.writeString(key, madeFor.replaceFirst("vm [^\n]*", "vm 17.0.1+12"));
    try (JarProcess upgraded = start("upgraded.log")) {
      awaitLine(
          upgraded,
          "upgraded.log",
          "was made for another JVM or build, or by a short run: removed");
    }
    assertFalse(Files.exists(archive), "archive left");
    assertFalse(Files.exists(key), "key left");
  }

  /** The entrypoint, its arguments added to the JVM's options as a container's are. */
  private JarProcess start(String log, String... jvmOptions) throws Exception {
    int port = JarProcess.freePort();
    List<String> command = new ArrayList<>(List.of("/bin/sh", ENTRYPOINT.toString()));
    command.add("-Dquarkus.http.port=" + port);
    command.addAll(List.of(jvmOptions));
    Path app = Services.root().resolve("agent/target/quarkus-app");
    return JarProcess.startCommand(
        command,
        app,
        Map.of(
            "FERRY_AGENT_HOME",
            app.toString(),
            "FERRY_AGENT_SYNC_ENABLED",
            "false",
            "FERRY_AGENT_DATA_DIR",
            dir.resolve("data").toString(),
            "FERRY_AGENT_CLASS_ARCHIVE_KEEP_AFTER",
            "1s"),
        dir.resolve(log),
        port,
        Duration.ofSeconds(60));
  }

  private void awaitLine(JarProcess agent, String name, String text) throws Exception {
    Path log = dir.resolve(name);
    long deadline = System.nanoTime() + LOGGED.toNanos();
    while (System.nanoTime() < deadline && agent.alive()) {
      if (Files.readString(log).contains(text)) {
        return;
      }
      TimeUnit.MILLISECONDS.sleep(200);
    }
    throw new AssertionError("no '" + text + "' in " + LOGGED.toSeconds() + " s:\n" + tail(log));
  }

  private static String tail(Path log) throws Exception {
    List<String> lines = Files.readAllLines(log);
    return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
  }
}
