package dev.ferry.it.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** The rows of one benchmark run, printed and written to {@code target/bench/}. */
final class Report {
  private final List<String> lines = new ArrayList<>();
  private final List<String> notes = new ArrayList<>();

  /**
   * Adds a row.
   *
   * @param id B1 … B8
   * @param figures what was measured
   * @param goal the goal and whether it was met
   */
  void row(String id, String figures, String goal) {
    String line = "| " + id + " | " + figures + " | " + goal + " |";
    lines.add(line);
    System.out.println(line);
  }

  /** A free line under the table (how a figure was taken, a warning). */
  void note(String text) {
    notes.add(text);
    System.out.println(text);
  }

  /** Writes the environment and the rows to {@code integration-tests/target/bench/<time>.md}. */
  Path write(Path dir, String title) throws IOException {
    Files.createDirectories(dir);
    Path file = dir.resolve(title + "-" + Instant.now().toString().replace(':', '-') + ".md");
    List<String> out = new ArrayList<>();
    out.add("# " + title + ", " + Instant.now());
    out.add("");
    out.add(Environment.describe());
    out.add("");
    out.add("| # | figures | goal |");
    out.add("|---|---|---|");
    out.addAll(lines);
    out.add("");
    notes.forEach(note -> out.add("- " + note));
    Files.write(file, out);
    System.out.println("written to " + file);
    return file;
  }

  static String verdict(boolean met) {
    return met ? "met" : "**missed**";
  }
}
