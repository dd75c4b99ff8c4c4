package dev.ferry.it.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * The CPU time a process has used, user and system ({@code utime + stime} of {@code /proc}): all
 * its threads, or those of one name: what serving costs the process itself, whatever else shares
 * the cores.
 *
 * @param pid the process
 */
record ProcessCpu(long pid) {
  private static final long TICKS_PER_SECOND = ticksPerSecond();

  /** Its CPU time so far, in nanoseconds (to the kernel's clock tick, usually 10 ms). */
  long nanos() throws IOException {
    return nanos(Path.of("/proc/" + pid + "/stat"));
  }

  /**
   * The CPU time so far of its threads whose name starts so, in nanoseconds.
   *
   * @param name the start of the thread name, at most 15 characters (Linux keeps no more)
   */
  long threadNanos(String name) throws IOException {
    long nanos = 0;
    List<Path> tasks;
    try (Stream<Path> list = Files.list(Path.of("/proc/" + pid + "/task"))) {
      tasks = list.toList();
    }
    for (Path task : tasks) {
      try {
        if (Files.readString(task.resolve("comm")).startsWith(name)) {
          nanos += nanos(task.resolve("stat"));
        }
      } catch (NoSuchFileException ended) {
        // a thread that ended meanwhile
      }
    }
    return nanos;
  }

  private static long nanos(Path stat) throws IOException {
    String line = Files.readString(stat);
    // the fields after the command name, which is in parentheses and may hold spaces: the first is
    // field 3 (state), so utime (14) and stime (15) are the 12th and 13th
    String[] fields = line.substring(line.lastIndexOf(')') + 2).split(" ");
    long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
    return ticks * 1_000_000_000L / TICKS_PER_SECOND;
  }

  private static long ticksPerSecond() {
    try {
      Process getconf = new ProcessBuilder("getconf", "CLK_TCK").start();
      String out = new String(getconf.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
      getconf.waitFor();
      return Long.parseLong(out.strip());
    } catch (IOException | NumberFormatException e) {
      throw new IllegalStateException("cannot read the clock tick (getconf CLK_TCK)", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted reading the clock tick", e);
    }
  }
}
