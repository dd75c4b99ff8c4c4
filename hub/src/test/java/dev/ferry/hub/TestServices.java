package dev.ferry.hub;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Starts a real service through {@code integration-tests/services.sh} if it is not running, and
 * stops it when the test JVM exits if this started it.
 */
public final class TestServices {
  private TestServices() {}

  /**
   * Starts a service.
   *
   * @param name {@code registry}, {@code postgres}, …
   */
  public static synchronized void start(String name) {
    if (run("status", name) == 0) {
      return;
    }
    if (run("start", name) != 0) {
      throw new IllegalStateException(
          "cannot start " + name + "; run integration-tests/services.sh install first");
    }
    Runtime.getRuntime().addShutdownHook(new Thread(() -> run("stop", name)));
  }

  /** The checkout's root directory. */
  public static Path root() {
    return Path.of(System.getProperty("ferry.root", "..")).toAbsolutePath().normalize();
  }

  /**
   * Runs a command and returns its output, failing the test if it fails.
   *
   * @param command the command and its arguments
   * @return what it printed
   */
  public static String exec(String... command) {
    try {
      Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
      String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!process.waitFor(120, TimeUnit.SECONDS) || process.exitValue() != 0) {
        throw new AssertionError(String.join(" ", command) + " failed: " + out);
      }
      return out;
    } catch (IOException e) {
      throw new AssertionError("cannot run " + command[0], e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }

  private static int run(String... args) {
    List<String> command =
        new ArrayList<>(
            List.of("bash", root().resolve("integration-tests/services.sh").toString()));
    command.addAll(List.of(args));
    try {
      Path log = Files.createTempFile("ferry-services", ".log");
      Process process =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(log.toFile())
              .start();
      if (!process.waitFor(120, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        return -1;
      }
      if (process.exitValue() != 0 && !args[0].equals("status")) {
        System.err.println(Files.readString(log, StandardCharsets.UTF_8));
      }
      Files.deleteIfExists(log);
      return process.exitValue();
    } catch (IOException e) {
      throw new IllegalStateException("cannot run services.sh", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }
}
