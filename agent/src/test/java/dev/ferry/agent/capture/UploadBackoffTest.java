package dev.ferry.agent.capture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.protocol.testing.TestClock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class UploadBackoffTest {
  private static final Instant T0 = Instant.parse("2026-05-04T08:00:00Z");
  private final TestClock clock = new TestClock(T0);
  private final UploadBackoff backoff =
      new UploadBackoff(clock, Duration.ofSeconds(30), Duration.ofMinutes(5));

  @Test
  void failed_doublesTheWaitUpToTheMost() {
    assertTrue(backoff.due());
    long[] waits = {30, 60, 120, 240, 300, 300};
    for (long wait : waits) {
      backoff.failed(Optional.empty());
      assertEquals(clock.instant().plusSeconds(wait), backoff.notBefore());
      clock.advance(Duration.ofSeconds(wait - 1));
      assertFalse(backoff.due());
      clock.advance(Duration.ofSeconds(1));
      assertTrue(backoff.due());
    }
    assertEquals(6, waits.length);
  }

  @Test
  void failed_waitsTheHubsRetryAfterButNoLongerThanTheMost() {
    backoff.failed(Optional.of(Duration.ofSeconds(7)));
    assertEquals(T0.plusSeconds(7), backoff.notBefore());
    backoff.failed(Optional.of(Duration.ofDays(2)));
    assertEquals(T0.plusSeconds(300), backoff.notBefore());
  }

  @Test
  void succeeded_startsOverFromTheFirstWait() {
    backoff.failed(Optional.empty());
    backoff.failed(Optional.empty());
    backoff.succeeded();
    assertTrue(backoff.due());
    backoff.failed(Optional.empty());
    assertEquals(T0.plusSeconds(30), backoff.notBefore());
  }

  @Test
  void create_refusesAFirstWaitLongerThanTheMost() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> new UploadBackoff(clock, Duration.ofMinutes(2), Duration.ofMinutes(1)));
    assertEquals("backoff must be 0 < first <= most: PT2M, PT1M", e.getMessage());
  }
}
