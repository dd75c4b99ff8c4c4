package dev.ferry.hub.db;

import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * A hub job run on its own daemon thread at a fixed delay while the hub runs (the rollout engine,
 * re-signing, capture packing): a failure is logged as a {@link FailureLog} and the job runs again
 * at its next turn (a periodic task that throws would never run again). Which replica does which
 * work is the job's own claim in the database.
 *
 * <p>Stopping lets a run in progress finish, within a grace, before it interrupts it: these jobs
 * work on the database, and an interrupt in the middle of a statement closes the embedded H2
 * database's file under every connection (H2's MVStore is not interrupt-safe).
 */
public final class PeriodicJob {
  private static final Logger LOG = Logger.getLogger(PeriodicJob.class);

  /** How long {@link #stop()} waits for a run in progress by default. */
  public static final Duration STOP_GRACE = Duration.ofSeconds(10);

  private final String name;
  private final Duration first;
  private final Duration every;
  private final Runnable job;
  private final Duration grace;
  private final ScheduledExecutorService timer;
  private final FailureLog failures;

  /**
   * @param name what the job does, for its thread and log lines: {@code capture packing}
   * @param first the delay before the first run
   * @param every the delay between the end of one run and the start of the next
   * @param job the job
   */
  public PeriodicJob(String name, Duration first, Duration every, Runnable job) {
    this(name, first, every, job, STOP_GRACE);
  }

  PeriodicJob(String name, Duration first, Duration every, Runnable job, Duration grace) {
    this.name = name;
    this.first = first;
    this.every = every;
    this.job = job;
    this.grace = grace;
    this.timer = Executors.newSingleThreadScheduledExecutor(this::thread);
    this.failures = new FailureLog(LOG, name);
  }

  private Thread thread(Runnable runnable) {
    Thread thread = new Thread(runnable, "ferry-" + name.replace(' ', '-'));
    thread.setDaemon(true);
    return thread;
  }

  /** Schedules the runs. */
  public void start() {
    timer.scheduleWithFixedDelay(
        this::runOnce, first.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS);
  }

  /**
   * Runs the job once more as soon as its thread is free, besides its turns; nothing once stopped.
   */
  public void runSoon() {
    try {
      timer.execute(this::runOnce);
    } catch (RejectedExecutionException e) {
      LOG.debugf("%s is stopped: no run", name);
    }
  }

  /**
   * Stops the runs: no new one starts; one in progress may finish within the grace, and is
   * interrupted after it. Returns when the job's thread has ended or the grace is spent.
   */
  public void stop() {
    timer.shutdown();
    try {
      if (!timer.awaitTermination(grace.toMillis(), TimeUnit.MILLISECONDS)) {
        LOG.warnf("%s still running after %s; interrupting it", name, grace);
        timer.shutdownNow();
      }
    } catch (InterruptedException e) {
      timer.shutdownNow();
      Thread.currentThread().interrupt();
    }
  }

  /** Runs the job once; a failure is logged and left to the next run. */
  public void runOnce() {
    try {
      job.run();
      failures.succeeded();
    } catch (RuntimeException e) {
      failures.failed(e, "run again in " + every.toString().substring(2).toLowerCase(Locale.ROOT));
    }
  }
}
