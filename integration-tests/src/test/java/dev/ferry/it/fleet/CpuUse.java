package dev.ferry.it.fleet;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * CPU time by process group from {@code /proc} (Linux): the hub, this JVM (the simulator), the
 * broker, the database, and the whole machine, so that a benchmark can say what limits it.
 */
final class CpuUse {
  private static final double TICKS_PER_SECOND = 100.0;

  private CpuUse() {}

  /**
   * Clock ticks used so far (user + system) per group.
   *
   * @param hubPid the hub's process id
   * @return ticks by group: hub, simulator, mosquitto, postgres, machine
   */
  static Map<String, Long> byProcess(long hubPid) throws IOException {
    Map<String, Long> ticks = new TreeMap<>();
    ticks.put("hub", ticks(Path.of("/proc/" + hubPid + "/stat")));
    ticks.put("simulator", ticks(Path.of("/proc/self/stat")));
    try (Stream<Path> processes = Files.list(Path.of("/proc"))) {
      for (Path process :
          processes.filter(p -> p.getFileName().toString().matches("\\d+")).toList()) {
        try {
          String comm = Files.readString(process.resolve("comm")).strip();
          if (comm.equals("mosquitto") || comm.equals("postgres")) {
            ticks.merge(comm, ticks(process.resolve("stat")), Long::sum);
          }
        } catch (IOException gone) {
          // the process ended while listed
        }
      }
    }
    String[] all = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
    long busy = 0;
    for (int i = 1; i < all.length; i++) {
      if (i != 4 && i != 5 && i < 9) { // not idle, iowait, guest (counted in user)
        busy += Long.parseLong(all[i]);
      }
    }
    ticks.put("machine", busy);
    return ticks;
  }

  /**
   * Clock ticks used so far (user + system) by each of a process's thread groups: its threads by
   * name (as the kernel keeps it, 15 characters), a number at its end left out, so a pool's threads
   * count as one ("executor-thread", "C2 CompilerThre").
   *
   * @param pid the process
   * @return ticks by thread group
   */
  static Map<String, Long> byThread(long pid) throws IOException {
    Map<String, Long> ticks = new TreeMap<>();
    try (Stream<Path> threads = Files.list(Path.of("/proc/" + pid + "/task"))) {
      for (Path thread : threads.toList()) {
        try {
          String name =
              Files.readString(thread.resolve("comm")).strip().replaceAll("[-#]?\\d+$", "");
          ticks.merge(name, ticks(thread.resolve("stat")), Long::sum);
        } catch (IOException gone) {
          // the thread ended while listed
        }
      }
    }
    return ticks;
  }

  /**
   * The thread groups that used the most CPU between two samples, in percent of one core.
   *
   * @param before the first sample
   * @param after the second
   * @param seconds the time between them
   * @param top how many groups to name
   * @return "C2 CompilerThre 30%, …"
   */
  static String busiest(
      Map<String, Long> before, Map<String, Long> after, double seconds, int top) {
    return after.entrySet().stream()
        .map(e -> Map.entry(e.getKey(), e.getValue() - before.getOrDefault(e.getKey(), 0L)))
        .filter(e -> e.getValue() > 0)
        .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
        .limit(top)
        .map(
            e ->
                String.format(
                    "%s %.0f%%", e.getKey(), 100 * e.getValue() / TICKS_PER_SECOND / seconds))
        .collect(Collectors.joining(", "));
  }

  /**
   * Percent of one core each group used between two samples.
   *
   * @param before the first sample
   * @param after the second
   * @param seconds the time between them
   * @return "hub 60%, …"
   */
  static String share(Map<String, Long> before, Map<String, Long> after, double seconds) {
    Map<String, String> shares = new LinkedHashMap<>();
    after.forEach(
        (group, ticks) ->
            shares.put(
                group,
                String.format(
                    "%.0f%%",
                    100 * (ticks - before.getOrDefault(group, 0L)) / TICKS_PER_SECOND / seconds)));
    return shares.entrySet().stream()
        .map(e -> e.getKey() + " " + e.getValue())
        .collect(Collectors.joining(", "));
  }

  private static long ticks(Path stat) throws IOException {
    String line = Files.readString(stat);
    // fields after the command name, which is in parentheses and may hold spaces
    String[] fields = line.substring(line.lastIndexOf(')') + 2).split(" ");
    return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
  }
}
