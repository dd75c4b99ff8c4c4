package dev.ferry.hub.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.ferry.hub.LogRecords;
import dev.ferry.protocol.testing.TestClock;
import java.time.Instant;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;

/** A job failing every second logs its streak's start, a line a minute, and its end. */
class FailureLogTest {
  private static final Instant T0 = Instant.parse("2026-12-07T00:00:00Z");
  private final Logger jul = Logger.getLogger("ferry.test.failure-log");
  private final TestClock clock = new TestClock(T0);
  private final FailureLog streak =
      new FailureLog(org.jboss.logging.Logger.getLogger(jul.getName()), "storing telemetry", clock);

  @Test
  void aStreak_isLoggedInFullOnce_thenOnceAMinute_andItsEnd() {
    jul.setLevel(Level.ALL);
    IllegalStateException away = new IllegalStateException("connection refused");
    try (LogRecords records = LogRecords.on(jul)) {
      for (int second = 0; second <= 125; second++) {
        clock.set(T0.plusSeconds(second));
        streak.failed(away, "retrying every 1000 ms");
      }
      clock.set(T0.plusSeconds(130));
      streak.succeeded();
      streak.succeeded();

      List<LogRecord> shown =
          records.all().stream()
              .filter(r -> r.getLevel().intValue() >= Level.INFO.intValue())
              .toList();
      assertEquals(
          4, shown.size(), String.valueOf(shown.stream().map(LogRecord::getMessage).toList()));
      assertEquals(Level.WARNING.intValue(), shown.get(0).getLevel().intValue());
      assertNotNull(shown.get(0).getThrown(), "the first failure with its stack trace");
      assertEquals(
          "storing telemetry still failing, 61 times since 2026-12-07T00:00:00Z, retrying every"
              + " 1000 ms: connection refused",
          format(shown.get(1)));
      assertNull(shown.get(1).getThrown());
      assertEquals(
          "storing telemetry still failing, 121 times since 2026-12-07T00:00:00Z, retrying every"
              + " 1000 ms: connection refused",
          format(shown.get(2)));
      assertEquals(Level.INFO.intValue(), shown.get(3).getLevel().intValue());
      assertEquals(
          "storing telemetry works again after 126 failures over 130 s", format(shown.get(3)));
    }
  }

  @Test
  void aSuccess_withoutAStreak_logsNothing() {
    try (LogRecords records = LogRecords.on(jul)) {
      streak.succeeded();
      assertEquals(List.of(), records.all());
    }
  }

  private static String format(LogRecord record) {
    return String.format(record.getMessage(), record.getParameters());
  }
}
