package dev.ferry.agent.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class FreshnessTest {
  private static final Instant T0 = Instant.parse("2026-03-01T12:00:00Z");

  /** A clock the test moves. */
  private static final class MovingClock extends Clock {
    private Instant now = T0;

    void advance(Duration by) {
      now = now.plus(by);
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }

  private final MovingClock clock = new MovingClock();
  private final Freshness freshness = new Freshness(Duration.ofDays(3), clock);

  @Test
  void stale_afterStaleAfterWithoutAnAcceptedState_andFreshAgainOnTheNext() {
    clock.advance(Duration.ofDays(3));
    assertEquals("FRESH", freshness.label());
    clock.advance(Duration.ofSeconds(1));
    assertEquals("STALE", freshness.label());
    assertTrue(freshness.stale());

    freshness.fresh();
    assertEquals("FRESH", freshness.label());
    assertEquals(T0.plus(Duration.ofDays(3)).plusSeconds(1), freshness.lastFresh());
  }

  @Test
  void turnedStale_onceForEachStalePeriod() {
    assertFalse(freshness.turnedStale());
    clock.advance(Duration.ofDays(4));
    assertTrue(freshness.turnedStale());
    assertFalse(freshness.turnedStale());
    freshness.fresh();
    clock.advance(Duration.ofDays(4));
    assertTrue(freshness.turnedStale());
  }

  @Test
  void staleWarning_namesTheLastFreshTimeAndTheSetting() {
    clock.advance(Duration.ofDays(4));
    assertEquals(
        java.util.Optional.of(
            "no fresh desired state since "
                + T0
                + " (ferry.agent.trust.stale-after PT72H); still serving"),
        freshness.staleWarning());
    assertEquals(java.util.Optional.empty(), freshness.staleWarning());
  }

  @Test
  void checkEvery_aTenthBetweenASecondAndAMinute() {
    assertEquals(Duration.ofMinutes(1), freshness.checkEvery());
    assertEquals(Duration.ofSeconds(3), new Freshness(Duration.ofSeconds(30), clock).checkEvery());
    assertEquals(Duration.ofSeconds(1), new Freshness(Duration.ofSeconds(2), clock).checkEvery());
  }

  @Test
  void new_refusesANonPositivePeriod() {
    var error =
        assertThrows(IllegalArgumentException.class, () -> new Freshness(Duration.ZERO, clock));
    assertEquals("ferry.agent.trust.stale-after: must be positive, got PT0S", error.getMessage());
  }
}
