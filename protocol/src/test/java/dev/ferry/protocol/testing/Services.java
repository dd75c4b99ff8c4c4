package dev.ferry.protocol.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Starts the real services tests need through {@code integration-tests/services.sh}, once per JVM,
 * and stops the ones it started when the JVM exits. Run {@code services.sh install} first.
 */
public final class Services {
  private static final Set<String> STARTED = ConcurrentHashMap.newKeySet();
  private static volatile Map<String, String> env;

  static {
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  if (!STARTED.isEmpty()) {
                    List<String> args = new ArrayList<>(List.of("stop"));
                    args.addAll(STARTED);
                    script(args);
                  }
                }));
  }

  private Services() {}

  /** The checkout's root directory. */
  public static Path root() {
    return Path.of(System.getProperty("ferry.root", "..")).toAbsolutePath().normalize();
  }

  /** Where the services keep their config and data: the folder services.sh chose. */
  public static synchronized Path dir() {
    return Path.of(env().get("FERRY_SERVICES_DIR"));
  }

  /**
   * Starts services that are not running yet.
   *
   * @param names service names: {@code mosquitto}, {@code registry}, {@code registry-auth}, {@code
   *     registry-token}, {@code postgres}
   * @return the services' settings ({@code FERRY_REGISTRY=127.0.0.1:15000} …)
   */
  public static synchronized Map<String, String> start(String... names) {
    for (String name : names) {
      if (!STARTED.contains(name) && !running(name)) {
        script(List.of("start", name));
        STARTED.add(name);
      }
    }
    return env();
  }

  private static boolean running(String name) {
    return run(List.of("status", name)).exitCode == 0;
  }

  private static Map<String, String> env() {
    if (env == null) {
      Map<String, String> values = new LinkedHashMap<>();
      for (String line : script(List.of("env")).split("\n")) {
        String assignment = line.replaceFirst("^export ", "");
        int eq = assignment.indexOf('=');
        if (eq > 0) {
          values.put(assignment.substring(0, eq), assignment.substring(eq + 1));
        }
      }
      env = Map.copyOf(values);
    }
    return env;
  }

  private static String script(List<String> args) {
    Result result = run(args);
    if (result.exitCode != 0) {
      throw new IllegalStateException(
          "services.sh "
              + String.join(" ", args)
              + " failed ("
              + result.exitCode
              + "):\n"
              + result.output
              + "\nRun integration-tests/services.sh install first.");
    }
    return result.output;
  }

  /**
   * Where the plain registry keeps a blob (or a manifest) on disk, to corrupt it in tests.
   *
   * @param digest the blob's digest
   * @return its {@code data} file
   */
  public static Path registryBlob(dev.ferry.protocol.oci.Digest digest) throws IOException {
    try (java.util.stream.Stream<Path> files = Files.walk(dir().resolve("registry"))) {
      return files
          .filter(
              p ->
                  p.endsWith(
                      Path.of(
                          "blobs", "sha256", digest.hex().substring(0, 2), digest.hex(), "data")))
          .findFirst()
          .orElseThrow(
              () -> new AssertionError("blob " + digest + " not in the registry's storage"));
    }
  }

  /**
   * Deletes a folder and everything in it; nothing when it does not exist.
   *
   * @param dir the folder
   */
  public static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (java.util.stream.Stream<Path> files = Files.walk(dir)) {
      for (Path file : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(file);
      }
    }
  }

  /**
   * Runs a command and returns its output, failing the test if it fails.
   *
   * @param command the command and its arguments
   * @return what it printed
   */
  public static String exec(String... command) {
    Result result = run(List.of(command), Duration.ofMinutes(10));
    if (result.exitCode() != 0) {
      throw new AssertionError(
          String.join(" ", command)
              + (result.exitCode() == HUNG ? " hung: " : " failed: ")
              + result.output());
    }
    return result.output();
  }

  /** The exit code {@link #run} gives a command it had to kill. */
  private static final int HUNG = -1;

  private record Result(int exitCode, String output) {}

  private static Result run(List<String> args) {
    List<String> command =
        new ArrayList<>(
            List.of("bash", root().resolve("integration-tests/services.sh").toString()));
    command.addAll(args);
    Result result = run(command, Duration.ofSeconds(120));
    if (result.exitCode() == HUNG) {
      throw new IllegalStateException("services.sh " + args + " did not finish in 120 s");
    }
    return result;
  }

  /** Runs a command, its output to a file; kills it (exit code {@link #HUNG}) after a timeout. */
  private static Result run(List<String> command, Duration timeout) {
    try {
      Path output = Files.createTempFile("ferry-run", ".out");
      try {
        Process process =
            new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(output.toFile())
                .start();
        boolean ended = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (!ended) {
          process.destroyForcibly();
        }
        return new Result(
            ended ? process.exitValue() : HUNG, Files.readString(output, StandardCharsets.UTF_8));
      } finally {
        Files.deleteIfExists(output);
      }
    } catch (IOException e) {
      throw new IllegalStateException("cannot run " + command.get(0), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }
}
