package dev.ferry.hub.broker;

import dev.ferry.protocol.retry.FailureStreak;
import io.quarkus.logging.LoggingFilter;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.logging.Filter;
import java.util.logging.LogRecord;
import javax.net.ssl.SSLException;
import org.jboss.logmanager.Level;

/**
 * Keeps what clients of the broker's TLS port can make the hub log short and free of secrets: drops
 * Netty's "not an SSL/TLS record" errors (they print in hex what a client sent in plain text, its
 * MQTT password included), and turns every other refused TLS connection (no certificate, a revoked
 * or foreign one) from an ERROR with a stack trace into one WARN line naming the reason. The same
 * refusal again (a revoked device's agent retries about once a minute, for as long as it runs) is
 * logged once an hour, counting the refusals in between.
 */
@LoggingFilter(name = TlsLogFilter.NAME)
public final class TlsLogFilter implements Filter {
  static final String NAME = "ferry-broker-tls";

  /** How often the same refusal is logged again. */
  static final Duration REMIND_EVERY = Duration.ofHours(1);

  private static final String PLAINTEXT = "not an SSL/TLS record";
  private static final int REMEMBERED = 1000;

  private final Clock clock;
  // each refusal's streak, by reason, least recently refused first
  private final Map<String, FailureStreak> refusals = new LinkedHashMap<>(16, 0.75f, true);

  /** As Quarkus makes it. */
  public TlsLogFilter() {
    this(Clock.systemUTC());
  }

  TlsLogFilter(Clock clock) {
    this.clock = clock;
  }

  @Override
  public boolean isLoggable(LogRecord record) {
    if (mentions(record.getMessage()) || plaintext(record.getThrown())) {
      return false;
    }
    SSLException refusal = tlsCause(record.getThrown());
    if (refusal == null) {
      return true;
    }
    String again = again(refusal.getMessage());
    if (again == null) {
      return false;
    }
    record.setLevel(Level.WARN);
    record.setMessage("MQTT broker refused a TLS connection: " + refusal.getMessage() + again);
    record.setParameters(null);
    record.setThrown(null);
    return true;
  }

  /**
   * Whether to log a refusal now: null when the same was logged within the hour, else what to add
   * to its line (how many there were since the first).
   */
  private synchronized String again(String reason) {
    FailureStreak streak = refusals.computeIfAbsent(reason, r -> new FailureStreak(REMIND_EVERY));
    if (refusals.size() > REMEMBERED) {
      refusals.remove(refusals.keySet().iterator().next());
    }
    return switch (streak.failed(clock.instant())) {
      case FIRST -> "";
      case AGAIN ->
          " (refused " + streak.failures() + " times since " + streak.since().orElseThrow() + ")";
      case QUIET -> null;
    };
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
