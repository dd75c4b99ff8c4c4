package dev.ferry.it.faults;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/** The figures of one fault scenario: printed and appended to {@code target/faults/figures.txt}. */
public final class Figures {
  private final String scenario;
  private final List<String> parts = new ArrayList<>();

  public Figures(String scenario) {
    this.scenario = scenario;
  }

  /** Adds {@code name=value}. */
  public Figures add(String name, Object value) {
    parts.add(name + "=" + value);
    return this;
  }

  /** Adds the median and the maximum of durations, in seconds. */
  public Figures durations(String name, List<Duration> values) {
    if (values.isEmpty()) {
      return add(name, "none");
    }
    List<Duration> sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    return add(name + ".median", seconds(sorted.get((sorted.size() - 1) / 2)))
        .add(name + ".max", seconds(sorted.get(sorted.size() - 1)));
  }

  public static String seconds(Duration value) {
    return String.format(Locale.ROOT, "%.2fs", value.toMillis() / 1000.0);
  }

  /** Prints the line and appends it to the figures file. */
  public void report() throws IOException {
    String line = scenario + ": " + String.join(" ", parts);
    System.out.println(line);
    Path file = Path.of("target/faults/figures.txt");
    Files.createDirectories(file.getParent());
    Files.writeString(
        file,
        line + System.lineSeparator(),
        StandardCharsets.UTF_8,
        StandardOpenOption.CREATE,
        StandardOpenOption.APPEND);
  }

  /** An integer system property (the profile's knobs), or its default. */
  public static int knob(String name, int fallback) {
    return Integer.getInteger(name, fallback);
  }
}
