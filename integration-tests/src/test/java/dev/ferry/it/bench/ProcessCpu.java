package dev.ferry.it.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The CPU time a process has used, all its threads, user and system ({@code utime + stime} of
 * {@code /proc/<pid>/stat}): what serving costs the process itself, whatever else shares the cores.
 *
 * @param pid the process
 */
record ProcessCpu(long pid) {
  private static final long TICKS_PER_SECOND = ticksPerSecond();

  /** Its CPU time so far, in nanoseconds (to the kernel's clock tick, usually 10 ms). */
  long nanos() throws IOException {
    String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
    // the fields after the command name, which is in parentheses and may hold spaces: the first is
    // field 3 (state), so utime (14) and stime (15) are the 12th and 13th
    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
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
