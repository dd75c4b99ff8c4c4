package dev.ferry.it.bench;

import java.io.IOException;

/**
 * A CPU list for {@code taskset} ({@code 0}, {@code 1}, {@code 0-1}) to pin a benchmark's processes
 * to, so that the measured process and its load client do not take each other's cores; an empty
 * list pins nothing.
 *
 * @param cpus the list, or empty
 */
public record CpuList(String cpus) {
  /** All the CPUs this JVM could run on when the class was loaded, before any pinning. */
  public static final CpuList ALL =
      new CpuList("0-" + (Runtime.getRuntime().availableProcessors() - 1));

  /** The list a system property names, empty where it is not set. */
  public static CpuList property(String name) {
    return new CpuList(System.getProperty(name, ""));
  }

  public boolean pins() {
    return !cpus.isEmpty();
  }

  /** Pins a running process, all its threads, to this list; nothing where the list is empty. */
  public void pin(long pid) throws IOException, InterruptedException {
    if (!pins()) {
      return;
    }
    Process taskset =
        new ProcessBuilder("taskset", "-a", "-p", "-c", cpus, String.valueOf(pid))
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .start();
    if (taskset.waitFor() != 0) {
      throw new IOException(
          "taskset -a -p -c " + cpus + " " + pid + " exited with " + taskset.exitValue());
    }
  }

  @Override
  public String toString() {
    return pins() ? "CPUs " + cpus : "unpinned";
  }
}
