package dev.ferry.agent.sync;

import dev.ferry.agent.fetch.Backoff;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import org.jboss.logging.Logger;

/**
 * The apply thread's work. Only the newest desired state waits (one that arrives before the last is
 * applied replaces it, unread); an install that waits is retried with backoff; a failure escaping
 * the applier (a full disk, a defect) is reported and the same work retried with backoff, until it
 * works or a newer desired state replaces it. Everything but {@link #offer} runs on the executor's
 * one thread.
 */
final class ApplyQueue {
  private static final Logger LOG = Logger.getLogger(ApplyQueue.class);

  /** What the queue drives: the {@link Applier} in production. */
  interface Target {
    /** Applies a desired-state payload; true while an install waits. */
    boolean apply(byte[] payload);

    /** Reconciles the accepted state; true while an install waits. */
    boolean reconcile();

    /** Reports a failure that escaped {@link #apply} or {@link #reconcile}; will be retried. */
    void failed(RuntimeException failure);
  }

  private final ScheduledExecutorService executor;
  private final Backoff backoff;
  private final Target target;
  private final AtomicReference<byte[]> newest = new AtomicReference<>();
  private byte[] failedPayload;
  private ScheduledFuture<?> retry;
  private int retries;

  ApplyQueue(ScheduledExecutorService executor, Backoff backoff, Target target) {
    this.executor = executor;
    this.backoff = backoff;
    this.target = target;
  }

  /** Queues a payload from any thread, replacing one that waits. */
  void offer(byte[] payload) {
    if (newest.getAndSet(payload) == null) {
      executor.execute(this::drain);
    }
  }

  /** Whether a desired state waits to be applied: what runs now may give way to it. */
  boolean waiting() {
    return newest.get() != null;
  }

  /**
   * Queues other work for the apply thread (a new chain of trust roots), driven like a desired
   * state: it returns true while an install waits, and a failure escaping it is reported and
   * retried.
   */
  void submit(BooleanSupplier work) {
    executor.execute(() -> run(work, null));
  }

  /** Queues a reconcile of the accepted state. */
  void reconcile() {
    executor.execute(() -> run(target::reconcile, null));
  }

  private void drain() {
    byte[] payload = newest.getAndSet(null);
    if (payload != null) {
      run(() -> target.apply(payload), payload);
    }
  }

  /** Runs work and schedules what follows: nothing, a retry of an install, or of the failure. */
  private void run(BooleanSupplier work, byte[] payload) {
    boolean pending;
    try {
      pending = work.getAsBoolean();
      if (payload != null) {
        failedPayload = null;
      }
    } catch (RuntimeException e) {
      LOG.errorf(e, "applying the desired state failed; retrying with backoff");
      if (payload != null) {
        failedPayload = payload;
      }
      target.failed(e);
      pending = true;
    }
    if (pending) {
      scheduleRetry();
    } else {
      retries = 0;
      cancelRetry();
    }
  }

  private void scheduleRetry() {
    if (retry == null || retry.isDone()) {
      long delay = backoff.delay(retries++).toMillis();
      retry = executor.schedule(this::retry, delay, TimeUnit.MILLISECONDS);
    }
  }

  /** A failed payload is applied again (a no-op once accepted), then the accepted state. */
  private void retry() {
    retry = null;
    byte[] payload = failedPayload;
    if (payload == null) {
      run(target::reconcile, null);
    } else {
      run(() -> target.apply(payload) | target.reconcile(), payload);
    }
  }

  private void cancelRetry() {
    if (retry != null) {
      retry.cancel(false);
      retry = null;
    }
  }
}
