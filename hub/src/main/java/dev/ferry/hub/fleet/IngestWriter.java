package dev.ferry.hub.fleet;

import dev.ferry.hub.db.PeriodicJob;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.jboss.logging.Logger;

/**
 * Stores what devices send many messages to a transaction: the {@link IngestSession}'s thread puts
 * each decoded message on a bounded queue (waiting while it is full, so the broker holds the rest),
 * and one writer thread takes what arrives within a linger of the first, up to a batch, and stores
 * it through an {@link IngestRetry}: a database outage is waited out, a message whose content the
 * database refuses is dead-lettered alone. At a few messages a second a transaction each would cost
 * the database more than the messages; at thousands a second it would be the limit.
 *
 * @param <M> the message type
 */
public final class IngestWriter<M> {
  private static final Logger LOG = Logger.getLogger(IngestWriter.class);
  private static final Duration RETRY_INTERVAL = Duration.ofSeconds(1);

  /** Receives a message dropped for its content, with why. */
  @FunctionalInterface
  public interface DeadLetter<M> {
    /**
     * Takes the message out of the stream; it is not stored.
     *
     * @param message the message
     * @param cause why it was refused
     */
    void drop(M message, RuntimeException cause);
  }

  private final String name;
  private final int batch;
  private final long lingerNanos;
  private final BlockingQueue<M> queue;
  private final IngestRetry<M> retry;
  private volatile boolean running = true;
  private volatile Thread writer;

  /**
   * A writer, not yet started.
   *
   * @param name what it stores, for its thread's name and its log lines ("telemetry")
   * @param batch the most messages in one transaction
   * @param linger how long to wait for more after the first
   * @param store stores messages in one transaction; acknowledges them once it commits
   * @param deadLetter takes a message whose content the database refused
   */
  public IngestWriter(
      String name, int batch, Duration linger, Consumer<List<M>> store, DeadLetter<M> deadLetter) {
    this.name = name;
    this.batch = batch;
    this.lingerNanos = linger.toNanos();
    this.queue = new ArrayBlockingQueue<>(10 * batch);
    this.retry =
        new IngestRetry<>(
            name,
            store,
            deadLetter,
            duration -> Thread.sleep(duration.toMillis()),
            RETRY_INTERVAL,
            () -> running);
  }

  /** Starts the writer thread. */
  public void start() {
    writer = new Thread(this::write, "ferry-" + name.replace(' ', '-') + "-writer");
    writer.setDaemon(true);
    writer.setUncaughtExceptionHandler(
        (thread, e) -> LOG.errorf(e, "%s writer stopped; ingestion halts until restart", name));
    writer.start();
  }

  /**
   * Stops taking messages, and returns once a batch in progress is stored (within {@link
   * PeriodicJob#STOP_GRACE}), so that the database is not closed under it; what is queued is left
   * to the broker to send again.
   */
  public void stop() {
    running = false;
    if (writer == null) {
      return;
    }
    try {
      writer.join(PeriodicJob.STOP_GRACE.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Queues a message, waiting while the queue is full.
   *
   * @param message the message
   * @throws InterruptedException if interrupted while waiting
   */
  public void put(M message) throws InterruptedException {
    queue.put(message);
  }

  /** Messages queued, not yet stored. */
  public int backlog() {
    return queue.size();
  }

  private void write() {
    List<M> taken = new ArrayList<>(batch);
    while (running) {
      try {
        M first = queue.poll(200, TimeUnit.MILLISECONDS);
        if (first == null) {
          continue;
        }
        taken.add(first);
        gather(taken);
        retry.storeAll(taken);
        taken.clear();
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  /** Takes what else arrives within the linger of the first message, up to a batch. */
  private void gather(List<M> taken) throws InterruptedException {
    long end = System.nanoTime() + lingerNanos;
    while (taken.size() < batch) {
      queue.drainTo(taken, batch - taken.size());
      long left = end - System.nanoTime();
      if (taken.size() >= batch || left <= 0) {
        return;
      }
      M next = queue.poll(left, TimeUnit.NANOSECONDS);
      if (next == null) {
        return;
      }
      taken.add(next);
    }
  }
}
