package dev.ferry.it.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Closed-loop load: each of {@code threads} callers sends the next request as soon as the last one
 * answered, as perf_analyzer does at a given concurrency. Every call is kept as {start, latency}.
 */
final class Load implements AutoCloseable {
  /**
   * One request; throws or returns false when it failed. A caller's client is closed when its load
   * stops.
   */
  interface Call extends AutoCloseable {
    boolean call() throws Exception;

    @Override
    default void close() throws Exception {}
  }

  /** A caller's own request, made once per thread (a tensor, a client). */
  interface CallFactory {
    Call create() throws Exception;
  }

  /** One measurement window. */
  record Window(double perSecond, double p50Millis, double p99Millis, int requests) {}

  private final List<long[]> samples = Collections.synchronizedList(new ArrayList<>());
  private final List<String> failures = Collections.synchronizedList(new ArrayList<>());
  private final AtomicBoolean running = new AtomicBoolean(true);
  private final List<Thread> threads = new ArrayList<>();

  Load(int concurrency, CallFactory factory) {
    for (int i = 0; i < concurrency; i++) {
      Thread thread = new Thread(() -> loop(factory), "load-" + i);
      thread.setDaemon(true);
      thread.start();
      threads.add(thread);
    }
  }

  private void loop(CallFactory factory) {
    Call call;
    try {
      call = factory.create();
    } catch (Exception e) {
      failures.add("cannot start a caller: " + e);
      return;
    }
    while (running.get()) {
      long start = System.nanoTime();
      boolean ok;
      try {
        ok = call.call();
      } catch (Exception e) {
        failures.add(e.toString());
        ok = false;
      }
      if (!ok && failures.isEmpty()) {
        failures.add("a call answered an error");
      }
      samples.add(new long[] {start, System.nanoTime() - start, ok ? 1 : 0});
    }
    try {
      call.close();
    } catch (Exception e) {
      System.err.println("cannot close a caller's client: " + e);
    }
  }

  /**
   * Measures windows one after the other until the last three agree within 10% (throughput and
   * p50), or {@code maxWindows} have passed.
   *
   * @return the last three windows
   */
  List<Window> measureStable(long windowMillis, int maxWindows) throws InterruptedException {
    List<Window> windows = new ArrayList<>();
    for (int i = 0; i < maxWindows; i++) {
      long from = System.nanoTime();
      TimeUnit.MILLISECONDS.sleep(windowMillis);
      windows.add(window(from, System.nanoTime()));
      if (windows.size() >= 3 && stable(last3(windows))) {
        break;
      }
    }
    return last3(windows);
  }

  static boolean stable(List<Window> windows) {
    return windows.size() == 3
        && Stats.stable(windows.stream().map(Window::perSecond).toList())
        && Stats.stable(windows.stream().map(Window::p50Millis).toList());
  }

  private static List<Window> last3(List<Window> windows) {
    return List.copyOf(windows.subList(Math.max(0, windows.size() - 3), windows.size()));
  }

  /** The calls that ended between two instants. */
  Window window(long from, long to) {
    List<Long> latencies = new ArrayList<>();
    synchronized (samples) {
      for (long[] sample : samples) {
        long end = sample[0] + sample[1];
        if (end >= from && end < to) {
          latencies.add(sample[1]);
        }
      }
    }
    return new Window(
        latencies.size() / ((to - from) / 1e9),
        Stats.quantileMillis(latencies, 0.5),
        Stats.quantileMillis(latencies, 0.99),
        latencies.size());
  }

  /** Latencies of the calls that started inside, or outside, any of the given intervals. */
  List<Long> latencies(List<long[]> intervals, boolean inside) {
    List<Long> latencies = new ArrayList<>();
    synchronized (samples) {
      for (long[] sample : samples) {
        boolean in = intervals.stream().anyMatch(w -> sample[0] >= w[0] && sample[0] <= w[1]);
        if (in == inside) {
          latencies.add(sample[1]);
        }
      }
    }
    return latencies;
  }

  int requests() {
    return samples.size();
  }

  List<String> failures() {
    return List.copyOf(failures);
  }

  @Override
  public void close() throws InterruptedException {
    running.set(false);
    for (Thread thread : threads) {
      thread.join(30_000);
    }
  }
}
