package dev.ferry.hub;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/** The records a JDK logger publishes while this is attached to it; closing detaches it. */
public final class LogRecords extends Handler implements AutoCloseable {
  private final Logger logger;
  private final List<LogRecord> records = new CopyOnWriteArrayList<>();

  private LogRecords(Logger logger) {
    this.logger = logger;
  }

  /** Starts taking {@code logger}'s records (the root logger's: every logger's that reaches it). */
  public static LogRecords on(Logger logger) {
    LogRecords taken = new LogRecords(logger);
    logger.addHandler(taken);
    return taken;
  }

  /** The records so far, in the order they were published. */
  public List<LogRecord> all() {
    return List.copyOf(records);
  }

  @Override
  public void publish(LogRecord record) {
    records.add(record);
  }

  @Override
  public void flush() {}

  @Override
  public void close() {
    logger.removeHandler(this);
  }
}
