package dev.ferry.it.bench;

import dev.ferry.protocol.testing.Services;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The JVM the systemd unit runs the agent on ({@code deploy/systemd/ferry-agent.service}): its
 * {@code ExecStart} options and its malloc settings, read from the unit so that the agent
 * benchmarks measure the agent as it is deployed (collector, heap, glibc arenas) and follow the
 * unit when it changes. The unit's class archive is left out: the harness adds its own where the
 * build has one. {@code -Dbench.agent.java-options=…} replaces the options (for example {@code
 * -Xmx512m}, the JVM's own collector and heap sizing, to compare).
 */
record DeployedJvm(List<String> options, Map<String, String> environment) {
  static final Path UNIT = Path.of("deploy/systemd/ferry-agent.service");

  /** The unit's, or the options of {@code -Dbench.agent.java-options}. */
  static DeployedJvm forBenchmarks() {
    DeployedJvm unit = read(Services.root().resolve(UNIT));
    String given = System.getProperty("bench.agent.java-options");
    if (given == null) {
      return unit;
    }
    return new DeployedJvm(words(given), unit.environment());
  }

  static DeployedJvm read(Path unit) {
    try {
      return parse(Files.readAllLines(unit));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static DeployedJvm parse(List<String> unit) {
    List<String> options = null;
    Map<String, String> environment = new TreeMap<>();
    for (String line : unit) {
      if (line.startsWith("ExecStart=")) {
        options = jvmOptions(words(line.substring("ExecStart=".length())));
      } else if (line.startsWith("Environment=MALLOC_")) {
        String setting = line.substring("Environment=".length());
        int equals = setting.indexOf('=');
        environment.put(setting.substring(0, equals), setting.substring(equals + 1));
      }
    }
    if (options == null) {
      throw new IllegalArgumentException("the unit has no ExecStart line");
    }
    return new DeployedJvm(options, environment);
  }

  /** The options between {@code java} and {@code -jar}, less the class archive's. */
  private static List<String> jvmOptions(List<String> command) {
    int jar = command.indexOf("-jar");
    if (command.isEmpty() || !command.get(0).endsWith("/java") || jar < 0) {
      throw new IllegalArgumentException("ExecStart does not run java -jar: " + command);
    }
    List<String> options = new ArrayList<>();
    for (String option : command.subList(1, jar)) {
      if (!option.startsWith("-XX:SharedArchiveFile=")
          && !option.startsWith("-XX:AOTCache=")
          && !option.startsWith("-Xshare:")) {
        options.add(option);
      }
    }
    return List.copyOf(options);
  }

  private static List<String> words(String line) {
    return Arrays.stream(line.trim().split("\\s+")).filter(word -> !word.isEmpty()).toList();
  }
}
