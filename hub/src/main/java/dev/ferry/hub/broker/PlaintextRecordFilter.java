package dev.ferry.hub.broker;

import io.quarkus.logging.LoggingFilter;
import java.util.logging.Filter;
import java.util.logging.LogRecord;

/**
 * Drops Netty's "not an SSL/TLS record" errors: they print in hex what a client sent in plain text
 * to the TLS port, which holds its MQTT password.
 */
@LoggingFilter(name = PlaintextRecordFilter.NAME)
public final class PlaintextRecordFilter implements Filter {
  static final String NAME = "ferry-plaintext-records";
  private static final String MARK = "not an SSL/TLS record";

  @Override
  public boolean isLoggable(LogRecord record) {
    return !mentions(record.getMessage()) && !mentions(record.getThrown());
  }

  private static boolean mentions(String text) {
    return text != null && text.contains(MARK);
  }

  private static boolean mentions(Throwable thrown) {
    for (Throwable cause = thrown; cause != null; cause = cause.getCause()) {
      if (mentions(cause.getMessage())) {
        return true;
      }
    }
    return false;
  }
}
