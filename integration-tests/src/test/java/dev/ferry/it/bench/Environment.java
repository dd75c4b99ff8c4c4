package dev.ferry.it.bench;

import ai.onnxruntime.OrtEnvironment;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** What the figures were measured on, printed with them. */
public final class Environment {
  private Environment() {}

  /** CPU, memory, OS, JDK and the versions of the parts, one Markdown list item each. */
  public static String describe() {
    return String.join(
        "\n",
        "- CPU: "
            + cpuinfo("model name")
            + ", "
            + Runtime.getRuntime().availableProcessors()
            + " cores visible to the JVM",
        "- memory: " + meminfo(),
        "- OS: "
            + first(Path.of("/etc/debian_version"), "Debian ")
            + ", "
            + System.getProperty("os.name")
            + " "
            + System.getProperty("os.version"),
        "- JDK: "
            + System.getProperty("java.vm.name")
            + " "
            + System.getProperty("java.runtime.version"),
        "- Quarkus " + System.getProperty("ferry.quarkus.version", "?") + ", ONNX Runtime " + ort(),
        "- " + command("mosquitto", "-h"),
        "- " + command("docker-registry", "--version"),
        "- " + command("skopeo", "--version"),
        "- " + command("curl", "--version"));
  }

  private static String ort() {
    try {
      return OrtEnvironment.getEnvironment().getVersion();
    } catch (RuntimeException | LinkageError e) {
      return "? (" + e.getMessage() + ")";
    }
  }

  private static String cpuinfo(String key) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
        if (line.startsWith(key)) {
          return line.substring(line.indexOf(':') + 1).trim();
        }
      }
    } catch (IOException e) {
      return "?";
    }
    return "?";
  }

  private static String meminfo() {
    try {
      String total = Files.readAllLines(Path.of("/proc/meminfo")).get(0);
      long kib = Long.parseLong(total.replaceAll("[^0-9]", ""));
      return String.format("%.1f GiB", kib / 1048576.0);
    } catch (IOException | RuntimeException e) {
      return "?";
    }
  }

  private static String first(Path file, String prefix) {
    try {
      return prefix + Files.readAllLines(file).get(0).trim();
    } catch (IOException | RuntimeException e) {
      return "?";
    }
  }

  /** The first line a tool prints about itself. */
  private static String command(String... command) {
    try {
      Process process = new ProcessBuilder(List.of(command)).redirectErrorStream(true).start();
      String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      process.waitFor(10, TimeUnit.SECONDS);
      String line = out.lines().filter(l -> !l.isBlank()).findFirst().orElse("").trim();
      return line.isEmpty() ? command[0] + ": ?" : line;
    } catch (IOException e) {
      return command[0] + ": not installed";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return command[0] + ": ?";
    }
  }
}
