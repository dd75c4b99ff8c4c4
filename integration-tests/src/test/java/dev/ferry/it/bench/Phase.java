package dev.ferry.it.bench;

import dev.ferry.it.capture.CaptureFleet;
import dev.ferry.it.fleet.Oip;
import java.util.concurrent.TimeUnit;

/**
 * One measured phase of {@link CaptureBenchmark}: the load's window, the agent's capture counts and
 * the agent process's CPU time over it.
 *
 * @param window the requests answered in it
 * @param seconds its length
 * @param captured samples put on the writer's queue
 * @param spooled samples written to the spool
 * @param dropped samples dropped by the full queue
 * @param cpuNanos the CPU time the agent process used in it
 * @param writerNanos the CPU time of its capture writer thread in it
 */
record Phase(
    Load.Window window,
    double seconds,
    long captured,
    long spooled,
    long dropped,
    long cpuNanos,
    long writerNanos) {
  /** The capture writer thread's name as Linux keeps it (15 characters). */
  private static final String WRITER = "ferry-capture-writer".substring(0, 15);

  /** Measures a phase of the given length under the running load. */
  static Phase measure(Load load, Oip oip, ProcessCpu agent, long millis) throws Exception {
    long[] before = counts(oip);
    long cpuBefore = agent.nanos();
    long writerBefore = agent.threadNanos(WRITER);
    long from = System.nanoTime();
    TimeUnit.MILLISECONDS.sleep(millis);
    long to = System.nanoTime();
    long cpuAfter = agent.nanos();
    long writerAfter = agent.threadNanos(WRITER);
    long[] after = counts(oip);
    return new Phase(
        load.window(from, to),
        (to - from) / 1e9,
        after[0] - before[0],
        after[1] - before[1],
        after[2] - before[2],
        cpuAfter - cpuBefore,
        writerAfter - writerBefore);
  }

  private static long[] counts(Oip oip) throws Exception {
    return new long[] {
      CaptureFleet.captureCount(oip, "captured"),
      CaptureFleet.captureCount(oip, "spooled"),
      CaptureFleet.captureCount(oip, "dropped")
    };
  }

  double perSecond() {
    return window.perSecond();
  }

  /** The agent's CPU time per request answered, in microseconds. */
  double cpuMicrosPerRequest() {
    return cpuNanos / 1e3 / window.requests();
  }

  /** The capture writer's share of the agent's CPU time. */
  double writerShare() {
    return cpuNanos == 0 ? 0 : (double) writerNanos / cpuNanos;
  }

  double spooledPerSecond() {
    return spooled / seconds;
  }

  double droppedPerSecond() {
    return dropped / seconds;
  }

  /** A row of the benchmark's table. */
  String row(int number, String capture) {
    return String.format(
        "| %d | %s | %.1f | %.2f | %.2f | %.1f | %.1f | %d | %.1f | %.0f | %.2f |",
        number,
        capture,
        window.perSecond(),
        window.p50Millis(),
        window.p99Millis(),
        captured / seconds,
        droppedPerSecond(),
        window.requests(),
        cpuNanos / 1e9 / seconds * 100,
        cpuMicrosPerRequest(),
        100 * writerShare());
  }
}
