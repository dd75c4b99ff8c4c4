package dev.ferry.hub.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.handler.codec.DecoderException;
import io.netty.handler.ssl.NotSslRecordException;
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
