package dev.ferry.it.deploy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.ferry.it.fleet.JarProcess;
import dev.ferry.protocol.testing.Services;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the agent's first run through the image's entrypoint ({@code
 * agent/src/main/jib/opt/ferry/agent.sh}, on this machine's JVM) leaves the next: ONNX Runtime's
 * libraries unpacked into the data directory, which the next start loads; and the class-data
 * archive the JVM writes as it stops and the agent has vouched for, which the next start maps
 * ({@code -Xshare:on} refuses to start on an archive it cannot map) and keeps. An archive the JVM
 * could not map or made for another JVM or build is removed, for the start after to write again,
 * and so is one that crashed the JVM, with the libraries; a run stopped before it vouched leaves no
 * key.
 */
class ImageEntrypointIT {
  private static final Duration LOGGED = Duration.ofSeconds(60);
  private static final Path APP = Services.root().resolve("agent/target/quarkus-app");
  private static final Path ENTRYPOINT =
      Services.root().resolve("agent/src/main/jib/opt/ferry/agent.sh");

  @TempDir Path dir;

  @Test
  void firstRunPreparesTheNext_andAnArchiveNotToKeepIsRemoved() throws Exception {
    Path archive = dir.resolve("data/class-data/agent.jsa");
    Path key = archive.resolveSibling("agent.jsa.key");

    Path libraries = dir.resolve("data/onnxruntime/" + onnxRuntimeJar());
    try (JarProcess first = start("first.log")) {
      awaitLine(first, "first.log", "libraries unpacked into " + libraries);
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

    assertTrue(Files.size(libraries.resolve("libonnxruntime.so")) > 1 << 20);

    Path loaded = dir.resolve("classes.log");
    try (JarProcess next =
        start("next.log", "-Xshare:on", "-Xlog:class+load=info:file=" + loaded)) {
      assertTrue(
          Files.readString(Path.of("/proc/" + jvm(next) + "/maps"))
              .contains(libraries.resolve("libonnxruntime.so").toString()),
          "ONNX Runtime's library not loaded from " + libraries);
      awaitLine(next, "next.log", "class-data archive " + archive + " matches this JVM and build");
    }
    assertArrayEquals(written, Files.readAllBytes(archive));
    assertAgentClassesFromTheArchive(loaded);

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

    // an archive cut short crashes HotSpot 17 as it maps it (SIGBUS): the entrypoint then removes
    // it, its key and the libraries, so the start after goes without them
    Files.write(archive, Arrays.copyOf(written, 4096));
    Files.writeString(key, madeFor);
    AssertionError crashed =
        assertThrows(
            AssertionError.class,
            () -> start("crash.log", "-XX:ErrorFile=" + dir.resolve("hs_err_%p.log")).close());
    assertTrue(crashed.getMessage().contains("exited with 134"), crashed.getMessage());
    assertFalse(Files.exists(archive), "archive left");
    assertFalse(Files.exists(key), "key left");
    assertFalse(Files.exists(libraries), "libraries left");

    // a key left by a run killed before its stop does not vouch for a run too short to
    Files.writeString(key, madeFor);
    try (JarProcess shortRun = startKeepingAfter("60s", "short.log")) {
      long deadline = System.nanoTime() + LOGGED.toNanos();
      while (Files.exists(key) && shortRun.alive() && System.nanoTime() < deadline) {
        TimeUnit.MILLISECONDS.sleep(100);
      }
      assertFalse(Files.exists(key), "the earlier run's key is still there");
    }
    assertTrue(Files.isRegularFile(archive), "the short run's clean stop wrote no archive");
    assertFalse(Files.exists(key), "the short run's archive is vouched for");
  }

  /**
   * On JDK 25 and later the entrypoint has the JVM write an AOT cache instead ({@code agent.aot}),
   * assembled as it exits, which the next start maps and keeps; one the JVM cannot map is removed.
   * Needs a JDK 25 or later under {@code /usr/lib/jvm} (Debian 12 packages none).
   */
  @Test
  void onJdk25AnAotCacheIsWrittenMappedAndKept() throws Exception {
    Optional<Path> jdk = jdk25();
    assumeTrue(jdk.isPresent(), "no JDK 25 or later under /usr/lib/jvm");
    Map<String, String> java =
        Map.of(
            "JAVA_HOME",
            jdk.get().toString(),
            "PATH",
            jdk.get().resolve("bin") + ":" + System.getenv("PATH"));
    Path archive = dir.resolve("data/class-data/agent.aot");
    Path key = archive.resolveSibling("agent.aot.key");

    try (JarProcess first = startWith(java, "1s", "first.log")) {
      awaitLine(
          first, "first.log", "class-data archive " + archive + " is written when the agent stops");
    }
    assertFalse(Files.exists(archive.resolveSibling("agent.aot.new")), "not moved into place");
    assertFalse(Files.exists(dir.resolve("data/class-data/agent.jsa")), "a dynamic archive too");
    assertTrue(Files.size(archive) > 1 << 20, "AOT cache of " + Files.size(archive) + " bytes");
    assertFalse(Files.readString(dir.resolve("first.log")).contains("[aot]"), "HotSpot's warnings");
    assertFalse(
        Files.readString(dir.resolve("first.log")).contains("restricted method"),
        "the JVM warned of ONNX Runtime's native access");
    String madeFor = Files.readString(key);
    assertTrue(madeFor.startsWith("vm " + release(jdk.get(), "JAVA_RUNTIME_VERSION")), madeFor);

    try (JarProcess next = startWith(java, "1s", "next.log")) {
      assertTrue(
          Files.readString(Path.of("/proc/" + jvm(next) + "/maps")).contains(archive.toString()),
          "the AOT cache not mapped");
      awaitLine(next, "next.log", "class-data archive " + archive + " matches this JVM and build");
    }
    assertTrue(Files.isRegularFile(archive), "the AOT cache kept");

    byte[] noise = new byte[65_536];
    new Random(7).nextBytes(noise);
    Files.write(archive, noise);
    try (JarProcess unmapped = startWith(java, "1s", "unmapped.log")) {
      awaitLine(
          unmapped, "unmapped.log", "could not be mapped (cut short, or another JVM's): removed");
    }
    assertFalse(Files.exists(archive), "AOT cache left");
    assertFalse(Files.exists(key), "key left");
  }

  /** A JDK of feature version 25 or later under /usr/lib/jvm, by its release file. */
  private static Optional<Path> jdk25() throws Exception {
    Path jvms = Path.of("/usr/lib/jvm");
    if (!Files.isDirectory(jvms)) {
      return Optional.empty();
    }
    try (Stream<Path> homes = Files.list(jvms)) {
      return homes
          .filter(home -> Files.isExecutable(home.resolve("bin/java")))
          .filter(home -> feature(home) >= 25)
          .sorted()
          .findFirst();
    }
  }

  private static int feature(Path home) {
    String version = release(home, "JAVA_VERSION").split("[^0-9]")[0];
    return version.isEmpty() ? 0 : Integer.parseInt(version);
  }

  /** A value of the JDK's release file, empty where it has none. */
  private static String release(Path home, String name) {
    try (Stream<String> lines = Files.lines(home.resolve("release"))) {
      return lines
          .filter(line -> line.startsWith(name + "=\""))
          .map(line -> line.substring(name.length() + 2, line.length() - 1))
          .findFirst()
          .orElse("");
    } catch (IOException e) {
      return "";
    }
  }

  /**
   * The agent's own classes that the next start loaded came from the archive, not from its jars:
   * the packaged agent runs on the JVM's application class loader (quarkus.package.jar.type), whose
   * archived classes HotSpot gives without reading a jar. Under Quarkus's own class loader a
   * quarter of them were read from their jars here (BENCHMARKS.md B8).
   */
  private static void assertAgentClassesFromTheArchive(Path loaded) throws Exception {
    List<String> agent;
    try (Stream<String> lines = Files.lines(loaded)) {
      agent = lines.filter(line -> line.contains(" dev.ferry.")).toList();
    }
    List<String> fromJars = agent.stream().filter(line -> line.contains("source: file:")).toList();
    long fromArchive = agent.stream().filter(line -> line.contains("source: shared")).count();
    assertTrue(agent.size() > 100, agent.size() + " of the agent's classes logged");
    assertTrue(
        fromJars.size() * 20 < fromArchive,
        fromJars.size()
            + " of the agent's classes read from their jars, "
            + fromArchive
            + " from the archive; first: "
            + fromJars.subList(0, Math.min(5, fromJars.size())));
  }

  /**
   * The ONNX Runtime jar the agent is packaged with: the entrypoint names its libraries' directory
   * for it.
   */
  private static String onnxRuntimeJar() throws Exception {
    try (Stream<Path> jars = Files.list(APP.resolve("lib/main"))) {
      return jars.map(jar -> jar.getFileName().toString())
          .filter(name -> name.startsWith("com.microsoft.onnxruntime.onnxruntime"))
          .findFirst()
          .orElseThrow();
    }
  }

  /** The entrypoint's JVM, its child. */
  private static long jvm(JarProcess entrypoint) {
    return ProcessHandle.of(entrypoint.pid())
        .orElseThrow()
        .children()
        .filter(child -> child.info().command().orElse("").endsWith("/java"))
        .findFirst()
        .orElseThrow()
        .pid();
  }

  /** The entrypoint, its arguments added to the JVM's options as a container's are. */
  private JarProcess start(String log, String... jvmOptions) throws Exception {
    return startKeepingAfter("1s", log, jvmOptions);
  }

  private JarProcess startKeepingAfter(String keepAfter, String log, String... jvmOptions)
      throws Exception {
    return startWith(Map.of(), keepAfter, log, jvmOptions);
  }

  /** The entrypoint with more in its environment (the JVM to run). */
  private JarProcess startWith(
      Map<String, String> env, String keepAfter, String log, String... jvmOptions)
      throws Exception {
    int port = JarProcess.freePort();
    List<String> command = new ArrayList<>(List.of("/bin/sh", ENTRYPOINT.toString()));
    command.add("-Dquarkus.http.port=" + port);
    command.addAll(List.of(jvmOptions));
    Map<String, String> environment =
        new HashMap<>(
            Map.of(
                "FERRY_AGENT_HOME",
                APP.toString(),
                "FERRY_AGENT_SYNC_ENABLED",
                "false",
                "FERRY_AGENT_DATA_DIR",
                dir.resolve("data").toString(),
                "FERRY_AGENT_CLASS_ARCHIVE_KEEP_AFTER",
                keepAfter));
    environment.putAll(env);
    return JarProcess.startCommand(
        command, APP, environment, dir.resolve(log), port, Duration.ofSeconds(60));
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
