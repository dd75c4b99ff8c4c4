package dev.ferry.hub.broker;

import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.text.MessageFormat;
import java.util.Map;
import java.util.MissingResourceException;
import java.util.ResourceBundle;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import org.eclipse.paho.client.mqttv3.logging.LoggerFactory;

/**
 * Paho's log, on the JDK logger of each name looked up once. Paho makes a logger for every token,
 * that is for every message the hub publishes and every one it acknowledges; its own ({@code
 * JSR47Logger}) looks up the JDK logger each time, and under Quarkus's log manager each lookup
 * makes a logger and a phantom reference for its reaper. Messages are Paho's catalogue entries
 * formatted as Paho formats them.
 */
public class PahoLogger implements org.eclipse.paho.client.mqttv3.logging.Logger {
  private static final Map<String, java.util.logging.Logger> LOGGERS = new ConcurrentHashMap<>();

  private java.util.logging.Logger logger = java.util.logging.Logger.getGlobal();
  private ResourceBundle catalog;
  private String resourceName;

  /** Installs this class as Paho's logger before the hub's first MQTT client. */
  @ApplicationScoped
  static class Installer {
    void install(@Observes @Priority(100) StartupEvent event) {
      LoggerFactory.setLogger(PahoLogger.class.getName());
    }
  }

  /** A logger; Paho calls {@link #initialise} next. */
  public PahoLogger() {}

  @Override
  public void initialise(ResourceBundle messageCatalog, String loggerId, String resourceName) {
    this.catalog = messageCatalog;
    this.resourceName = resourceName;
    this.logger = LOGGERS.computeIfAbsent(loggerId, java.util.logging.Logger::getLogger);
  }

  /** The JDK logger this one writes to. */
  java.util.logging.Logger jdkLogger() {
    return logger;
  }

  @Override
  public void setResourceName(String logContext) {
    this.resourceName = logContext;
  }

  @Override
  public boolean isLoggable(int level) {
    return logger.isLoggable(level(level));
  }

  @Override
  public void severe(String sourceClass, String sourceMethod, String msg) {
    log(SEVERE, sourceClass, sourceMethod, msg, null, null);
  }

  @Override
  public void severe(String sourceClass, String sourceMethod, String msg, Object[] inserts) {
    log(SEVERE, sourceClass, sourceMethod, msg, inserts, null);
  }

  @Override
  public void severe(
      String sourceClass, String sourceMethod, String msg, Object[] inserts, Throwable thrown) {
    log(SEVERE, sourceClass, sourceMethod, msg, inserts, thrown);
  }

  @Override
  public void warning(String sourceClass, String sourceMethod, String msg) {
    log(WARNING, sourceClass, sourceMethod, msg, null, null);
  }

  @Override
  public void warning(String sourceClass, String sourceMethod, String msg, Object[] inserts) {
    log(WARNING, sourceClass, sourceMethod, msg, inserts, null);
  }

  @Override
  public void warning(
      String sourceClass, String sourceMethod, String msg, Object[] inserts, Throwable thrown) {
    log(WARNING, sourceClass, sourceMethod, msg, inserts, thrown);
  }

  @Override
  public void info(String sourceClass, String sourceMethod, String msg) {
    log(INFO, sourceClass, sourceMethod, msg, null, null);
  }

  @Override
  public void info(String sourceClass, String sourceMethod, String msg, Object[] inserts) {
    log(INFO, sourceClass, sourceMethod, msg, inserts, null);
  }

  @Override
  public void info(
      String sourceClass, String sourceMethod, String msg, Object[] inserts, Throwable thrown) {
    log(INFO, sourceClass, sourceMethod, msg, inserts, thrown);
  }

  @Override
  public void config(String sourceClass, String sourceMethod, String msg) {
    log(CONFIG, sourceClass, sourceMethod, msg, null, null);
  }

  @Override
  public void config(String sourceClass, String sourceMethod, String msg, Object[] inserts) {
    log(CONFIG, sourceClass, sourceMethod, msg, inserts, null);
  }

  @Override
  public void config(
      String sourceClass, String sourceMethod, String msg, Object[] inserts, Throwable thrown) {
    log(CONFIG, sourceClass, sourceMethod, msg, inserts, thrown);
  }

  @Override
  public void fine(String sourceClass, String sourceMethod, String msg) {
    log(FINE, sourceClass, sourceMethod, msg, null, null);
  }

  @Override
  public void fine(String sourceClass, String sourceMethod, String msg, Object[] inserts) {
    log(FINE, sourceClass, sourceMethod, msg, inserts, null);
  }

  @Override
  public void fine(
      String sourceClass, String sourceMethod, String msg, Object[] inserts, Throwable thrown) {
    log(FINE, sourceClass, sourceMethod, msg, inserts, thrown);
  }

  @Override
  public void finer(String sourceClass, String sourceMethod, String msg) {
    log(FINER, sourceClass, sourceMethod, msg, null, null);
  }

  @Override
  public void finer(String sourceClass, String sourceMethod, String msg, Object[] inserts) {
    log(FINER, sourceClass, sourceMethod, msg, inserts, null);
  }

  @Override
  public void finer(
      String sourceClass, String sourceMethod, String msg, Object[] inserts, Throwable thrown) {
    log(FINER, sourceClass, sourceMethod, msg, inserts, thrown);
  }

  @Override
  public void finest(String sourceClass, String sourceMethod, String msg) {
    log(FINEST, sourceClass, sourceMethod, msg, null, null);
  }

  @Override
  public void finest(String sourceClass, String sourceMethod, String msg, Object[] inserts) {
    log(FINEST, sourceClass, sourceMethod, msg, inserts, null);
  }

  @Override
  public void finest(
      String sourceClass, String sourceMethod, String msg, Object[] inserts, Throwable thrown) {
    log(FINEST, sourceClass, sourceMethod, msg, inserts, thrown);
  }

  @Override
  public void log(
      int level,
      String sourceClass,
      String sourceMethod,
      String msg,
      Object[] inserts,
      Throwable thrown) {
    Level jdkLevel = level(level);
    if (!logger.isLoggable(jdkLevel)) {
      return;
    }
    String text = formatMessage(msg, inserts);
    LogRecord record =
        new LogRecord(jdkLevel, resourceName == null ? text : resourceName + ": " + text);
    record.setLoggerName(logger.getName());
    record.setSourceClassName(sourceClass);
    record.setSourceMethodName(sourceMethod);
    record.setThrown(thrown);
    logger.log(record);
  }

  @Override
  public void trace(
      int level,
      String sourceClass,
      String sourceMethod,
      String msg,
      Object[] inserts,
      Throwable thrown) {
    log(level, sourceClass, sourceMethod, msg, inserts, thrown);
  }

  /** A catalogue entry, or the text as given, with its inserts. */
  @Override
  public String formatMessage(String msg, Object[] inserts) {
    String text = msg;
    if (catalog != null && msg != null) {
      try {
        text = catalog.getString(msg);
      } catch (MissingResourceException e) {
        text = msg;
      }
    }
    return inserts == null || inserts.length == 0 ? text : MessageFormat.format(text, inserts);
  }

  @Override
  public void dumpTrace() {
    // Paho's trace buffer is not kept: what is loggable went to the log as it happened
  }

  private static Level level(int level) {
    return switch (level) {
      case SEVERE -> Level.SEVERE;
      case WARNING -> Level.WARNING;
      case INFO -> Level.INFO;
      case CONFIG -> Level.CONFIG;
      case FINE -> Level.FINE;
      case FINER -> Level.FINER;
      default -> Level.FINEST;
    };
  }
}
