package dev.ferry.agent.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class ProbationTest {
  private static final Probation.Policy POLICY =
      new Probation.Policy(Duration.ofSeconds(60), 0.1, 10);

  private final AtomicReference<Instant> now = new AtomicReference<>(Instant.EPOCH);
  private final InstantSource clock = now::get;

  @Test
  void breached_notBeforeMinRequests() {
    Probation probation = new Probation(POLICY, clock);
    record(probation, 0, 9);
    assertFalse(probation.breached());
  }

  @Test
  void breached_whenErrorRateExceedsMaximum() {
    Probation probation = new Probation(POLICY, clock);
    record(probation, 8, 2);
    assertTrue(probation.breached());
    assertEquals(
        "error rate 0.200 (2 of 10 requests) exceeds max-error-rate 0.1 within probation window"
            + " PT1M",
        probation.reason());
  }

  @Test
  void breached_notAtExactlyTheMaximum() {
    Probation probation = new Probation(POLICY, clock);
    record(probation, 9, 1);
    assertFalse(probation.breached());
  }

  @Test
  void record_ignoresRequestsAfterTheWindow() {
    Probation probation = new Probation(POLICY, clock);
    record(probation, 10, 0);
    now.set(Instant.EPOCH.plusSeconds(60));
    record(probation, 0, 10);
    assertTrue(probation.over());
    assertFalse(probation.breached());
  }

  @Test
  void over_onlyOnceTheWindowEnds() {
    Probation probation = new Probation(POLICY, clock);
    now.set(Instant.EPOCH.plusSeconds(59));
    assertFalse(probation.over());
  }

  @Test
  void policy_rejectsRateAboveOne() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> new Probation.Policy(Duration.ofSeconds(1), 1.5, 1));
    assertEquals("ferry.agent.probation.max-error-rate must be in [0, 1], got 1.5", e.getMessage());
  }

  private static void record(Probation probation, int ok, int failed) {
    for (int i = 0; i < ok; i++) {
      probation.record(false);
    }
    for (int i = 0; i < failed; i++) {
      probation.record(true);
    }
  }
}
