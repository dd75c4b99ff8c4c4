package dev.ferry.agent.identity;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Collects the formatted lines one class logs, through java.util.logging (JBoss Logging's back
 * end).
 */
public final class LogCapture extends Handler implements AutoCloseable {
  public final List<String> lines = new CopyOnWriteArrayList<>();

  /** The lines logged at WARN or above. */
  public final List<String> warnings = new CopyOnWriteArrayList<>();

  private final Logger logger;

  public LogCapture(Class<?> type) {
    logger = Logger.getLogger(type.getName());
    logger.addHandler(this);
    logger.setLevel(Level.ALL);
  }

  @Override
  public void publish(LogRecord record) {
    Object[] parameters = record.getParameters();
    String message = record.getMessage();
    String line = parameters == null ? message : String.format(message, parameters);
    lines.add(line);
    if (record.getLevel().intValue() >= Level.WARNING.intValue()) {
      warnings.add(line);
    }
  }

  @Override
  public void flush() {}

  @Override
  public void close() {
    logger.removeHandler(this);
  }
}
