package dev.ferry.protocol.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Idle, floor and deadline, on given times (seconds as nanoseconds). */
class TransferWatchTest {
  private static final long S = 1_000_000_000L;
  private static final TransferLimits LIMITS =
      new TransferLimits(Duration.ofSeconds(30), 1000, Duration.ofSeconds(60), Duration.ofHours(1));

  @Test
  void oneByteEvery25Seconds_neverIdle_isCutByTheFloor() {
    TransferWatch watch = new TransferWatch(LIMITS, 0);
    for (int t = 25; t < 60; t += 25) {
      watch.received(t / 25, t * S);
      assertEquals(Optional.empty(), watch.problem(t * S));
    }
    watch.received(3, 75 * S);
    assertEquals(
        Optional.of("only 3 bytes in 60000 ms, below the floor of 1000 bytes per 60000 ms"),
        watch.problem(75 * S));
  }

  @Test
  void idleAndDeadline_areNamed() {
    TransferWatch idle = new TransferWatch(LIMITS, 0);
    assertEquals(Optional.of("no data for 30000 ms"), idle.problem(31 * S));
    TransferWatch slow = new TransferWatch(LIMITS, 0);
    for (long t = 10; t <= 3600; t += 10) {
      slow.received(t * 1000, t * S);
      assertEquals(Optional.empty(), slow.problem(t * S));
    }
    slow.received(3_610_000, 3610 * S);
    assertEquals(
        Optional.of("not done within 3600000 ms (3610000 bytes received)"), slow.problem(3610 * S));
  }

  @Test
  void limits_refuseNonsense() {
    var error =
        org.junit.jupiter.api.Assertions.assertThrows(
            IllegalArgumentException.class,
            () -> new TransferLimits(Duration.ZERO, 0, Duration.ofSeconds(1), Duration.ZERO));
    assertEquals("idle must be positive, got PT0S", error.getMessage());
  }
}
