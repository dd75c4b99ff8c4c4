package dev.ferry.hub.broker;

import io.quarkus.logging.LoggingFilter;
import java.util.logging.Filter;
import java.util.logging.LogRecord;
import javax.net.ssl.SSLException;
import org.jboss.logmanager.Level;

/**
 * Keeps what clients of the broker's TLS port can make the hub log short and free of secrets: drops
 * Netty's "not an SSL/TLS record" errors (they print in hex what a client sent in plain text, its
 * MQTT password included), and turns every other refused TLS connection (no certificate, a revoked
 * or foreign one) from an ERROR with a stack trace into one WARN line naming the reason.
 */
@LoggingFilter(name = TlsLogFilter.NAME)
public final class TlsLogFilter implements Filter {
  static final String NAME = "ferry-broker-tls";
  private static final String PLAINTEXT = "not an SSL/TLS record";

  @Override
  public boolean isLoggable(LogRecord record) {
    if (mentions(record.getMessage()) || plaintext(record.getThrown())) {
      return false;
    }
    SSLException refusal = tlsCause(record.getThrown());
    if (refusal != null) {
      record.setLevel(Level.WARN);
      record.setMessage("MQTT broker refused a TLS connection: " + refusal.getMessage());
      record.setParameters(null);
      record.setThrown(null);
    }
    return true;
  }

  private static boolean mentions(String text) {
    return text != null && text.contains(PLAINTEXT);
  }

  private static boolean plaintext(Throwable thrown) {
    for (Throwable cause = thrown; cause != null; cause = cause.getCause()) {
      if (mentions(cause.getMessage())) {
        return true;
      }
    }
    return false;
  }

  private static SSLException tlsCause(Throwable thrown) {
    for (Throwable cause = thrown; cause != null; cause = cause.getCause()) {
      if (cause instanceof SSLException ssl) {
        return ssl;
      }
    }
    return null;
  }
}
