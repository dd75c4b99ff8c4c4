package dev.ferry.it.faults;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * What a JVM process holds, from {@code /proc} and {@code jcmd}: resident memory, heap in use after
 * a full collection, threads and open file descriptors.
 *
 * @param rssBytes resident set size
 * @param heapBytes heap in use right after {@code jcmd GC.run}
 * @param threads the process's threads
 * @param fds its open file descriptors
 */
public record Footprint(long rssBytes, long heapBytes, long threads, long fds) {
  private static final Pattern HEAP_USED = Pattern.compile("total \\d+K, used (\\d+)K");

  /** Measures a process now. */
  public static Footprint of(long pid) throws Exception {
    List<String> status = Files.readAllLines(Path.of("/proc/" + pid + "/status"));
    return new Footprint(
        field(status, "VmRSS:") * 1024, heap(pid), field(status, "Threads:"), fds(pid));
  }

  private static long field(List<String> status, String name) {
    return status.stream()
        .filter(line -> line.startsWith(name))
        .mapToLong(line -> Long.parseLong(line.replaceAll("[^0-9]", "")))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no " + name + " in /proc status"));
  }

  private static long fds(long pid) throws IOException {
    try (Stream<Path> fds = Files.list(Path.of("/proc/" + pid + "/fd"))) {
      return fds.count();
    }
  }

  private static long heap(long pid) throws Exception {
    jcmd(pid, "GC.run");
    Matcher used = HEAP_USED.matcher(jcmd(pid, "GC.heap_info"));
    long sum = 0;
    while (used.find()) {
      sum += Long.parseLong(used.group(1)) * 1024;
    }
    return sum;
  }

  private static String jcmd(long pid, String command) throws Exception {
    Path java = Path.of(System.getProperty("java.home"), "bin", "jcmd");
    Process process =
        new ProcessBuilder(java.toString(), Long.toString(pid), command)
            .redirectErrorStream(true)
            .start();
    String output = new String(process.getInputStream().readAllBytes());
    if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
      throw new AssertionError("jcmd " + pid + " " + command + ": " + output);
    }
    return output;
  }

  /** {@code rss=…MiB heap=…MiB threads=… fds=…}. */
  @Override
  public String toString() {
    return "rss="
        + (rssBytes >> 20)
        + "MiB heap="
        + (heapBytes >> 20)
        + "MiB threads="
        + threads
        + " fds="
        + fds;
  }
}
