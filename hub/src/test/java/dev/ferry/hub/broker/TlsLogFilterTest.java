package dev.ferry.hub.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.protocol.testing.TestClock;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.ssl.NotSslRecordException;
import java.time.Duration;
import java.time.Instant;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;

class TlsLogFilterTest {
  private final TlsLogFilter filter = new TlsLogFilter();

  private static LogRecord moquetteError(Throwable thrown) {
    LogRecord record =
        new LogRecord(
            Level.SEVERE,
            "Unexpected exception while processing MQTT message. Closing Netty channel. CId={}");
    record.setThrown(thrown);
    return record;
  }

  @Test
  void aRefusedHandshake_isOneWarnLineNamingTheReason_withoutAStackTrace() {
    LogRecord record =
        moquetteError(
            new DecoderException(new SSLHandshakeException("Empty client certificate chain")));
    assertTrue(filter.isLoggable(record));
    assertEquals(org.jboss.logmanager.Level.WARN, record.getLevel());
    assertEquals(
        "MQTT broker refused a TLS connection: Empty client certificate chain",
        record.getMessage());
    assertNull(record.getThrown());
  }

  @Test
  void theSameRefusalAgain_isLoggedOnceAnHour_countingTheOnesBetween() {
    TestClock clock = new TestClock(Instant.parse("2026-12-07T03:00:00Z"));
    TlsLogFilter hourly = new TlsLogFilter(clock);
    String revoked = "client certificate CN=edge-01 serial 549c is revoked";
    assertTrue(hourly.isLoggable(refused(revoked)));
    for (int i = 0; i < 59; i++) {
      clock.advance(Duration.ofMinutes(1));
      assertFalse(hourly.isLoggable(refused(revoked)));
    }
    assertTrue(hourly.isLoggable(refused("Empty client certificate chain")), "another reason");
    clock.advance(Duration.ofMinutes(1));
    LogRecord reminder = refused(revoked);
    assertTrue(hourly.isLoggable(reminder));
    assertEquals(
        "MQTT broker refused a TLS connection: "
            + revoked
            + " (refused 61 times since 2026-12-07T03:00:00Z)",
        reminder.getMessage());
    assertFalse(hourly.isLoggable(refused(revoked)));
  }

  private static LogRecord refused(String reason) {
    return moquetteError(new DecoderException(new SSLHandshakeException(reason)));
  }

  @Test
  void plainTextSentToTheTlsPort_isNeverLogged() {
    assertFalse(
        filter.isLoggable(
            moquetteError(
                new DecoderException(
                    new NotSslRecordException("not an SSL/TLS record: 101c00044d515454")))));
    assertFalse(
        filter.isLoggable(new LogRecord(Level.SEVERE, "not an SSL/TLS record: 101c00044d5154")));
  }

  @Test
  void otherRecords_passUnchanged() {
    IllegalStateException failure = new IllegalStateException("disk full");
    LogRecord record = moquetteError(failure);
    assertTrue(filter.isLoggable(record));
    assertEquals(Level.SEVERE, record.getLevel());
    assertSame(failure, record.getThrown());
  }
}
