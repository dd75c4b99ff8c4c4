package dev.ferry.hub.capture;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * A capture job run on its own daemon thread at a fixed delay while the hub runs; a failure is
 * logged and the job runs again at its next turn (a periodic task that throws would never run
 * again). Which replica does which work is the job's own claim in the database.
 */
final class CaptureSchedule {
  private static final Logger LOG = Logger.getLogger(CaptureSchedule.class);

  private final String name;
  private final Duration first;
  private final Duration every;
  private final Runnable job;
  private final ScheduledExecutorService timer;

  /**
   * @param name what the job does, for its thread and log lines: {@code capture packing}
   * @param first the delay before the first run
   * @param every the delay between the end of one run and the start of the next
   * @param job the job
   */
  CaptureSchedule(String name, Duration first, Duration every, Runnable job) {
    this.name = name;
    this.first = first;
    this.every = every;
    this.job = job;
    this.timer = Executors.newSingleThreadScheduledExecutor(this::thread);
  }

  private Thread thread(Runnable runnable) {
    Thread thread = new Thread(runnable, "ferry-" + name.replace(' ', '-'));
    thread.setDaemon(true);
    return thread;
  }

  /** Schedules the runs. */
  void start() {
    timer.scheduleWithFixedDelay(
        this::runOnce, first.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Stops the runs, interrupting one in progress. */
  void stop() {
    timer.shutdownNow();
  }

  /** Runs the job once; a failure is logged and left to the next run. */
  void runOnce() {
    try {
      job.run();
    } catch (RuntimeException e) {
      LOG.warnf("%s failed, retried in %s: %s", name, every, e.getMessage());
    }
  }
}
