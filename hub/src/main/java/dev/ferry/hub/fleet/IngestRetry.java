package dev.ferry.hub.fleet;

import dev.ferry.hub.db.DatabaseException;
import dev.ferry.hub.db.FailureLog;
import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.jboss.logging.Logger;

/**
 * Stores messages in one transaction, retrying while the database is out; when their content makes
 * the transaction fail (a value the database refuses, a sum that cannot be made), each message is
 * stored alone and only the ones that fail for their content are dead-lettered, so one bad message
 * never stops the queue behind it.
 *
 * @param <M> the message type
 */
final class IngestRetry<M> {
  private static final Logger LOG = Logger.getLogger(IngestRetry.class);

  /** Waits between attempts; a fake in tests. */
  @FunctionalInterface
  interface Pause {
    void sleep(Duration duration) throws InterruptedException;
  }

  private final String what;
  private final Consumer<List<M>> store;
  private final IngestWriter.DeadLetter<M> deadLetter;
  private final Pause pause;
  private final Duration interval;
  private final BooleanSupplier running;
  private final FailureLog outage;

  IngestRetry(
      String what,
      Consumer<List<M>> store,
      IngestWriter.DeadLetter<M> deadLetter,
      Pause pause,
      Duration interval,
      BooleanSupplier running) {
    this.what = what;
    this.store = store;
    this.deadLetter = deadLetter;
    this.pause = pause;
    this.interval = interval;
    this.running = running;
    this.outage = new FailureLog(LOG, "storing " + what);
  }

  /** Stores the messages, or dead-letters the ones whose content fails; returns when done. */
  void storeAll(List<M> messages) throws InterruptedException {
    RuntimeException failure = attempt(messages);
    if (failure == null) {
      return;
    }
    if (messages.size() == 1) {
      deadLetter.drop(messages.get(0), failure);
      return;
    }
    for (M message : messages) {
      storeAll(List.of(message));
    }
  }

  /** Null once stored (or when stopping); the failure when it was the content's. */
  private RuntimeException attempt(List<M> messages) throws InterruptedException {
    while (running.getAsBoolean()) {
      try {
        store.accept(messages);
        outage.succeeded();
        return null;
      } catch (RuntimeException e) {
        if (causedByContent(e)) {
          return e;
        }
        outage.failed(e, "retrying every " + interval.toMillis() + " ms");
        pause.sleep(interval);
      }
    }
    return null;
  }

  /**
   * A database error of SQL class 22 (data exception: too long, out of range) or 23 (integrity
   * constraint) is the content's, as is any failure outside the database; every other database
   * error (connection lost, pool exhausted, serialization failure, shutting down) is an outage.
   */
  static boolean causedByContent(RuntimeException e) {
    if (!(e instanceof DatabaseException database)) {
      return true;
    }
    String state = database.sqlState();
    return state != null && (state.startsWith("22") || state.startsWith("23"));
  }
}
