package dev.ferry.agent.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.agent.identity.LogCapture;
import dev.ferry.protocol.testing.TestClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FreshnessTest {
  private static final Instant T0 = Instant.parse("2026-03-01T12:00:00Z");

  /** A clock the test moves. */
  private final TestClock clock = new TestClock(T0);

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
  void restore_keepsTheLastFreshTimeAcrossARestart(@TempDir Path dataDir) throws Exception {
    Freshness before = Freshness.restore(Duration.ofDays(3), clock, dataDir);
    clock.advance(Duration.ofDays(1));
    before.fresh();
    assertEquals(
        T0.plus(Duration.ofDays(1)) + "\n", Files.readString(dataDir.resolve("last-fresh.txt")));
    clock.advance(Duration.ofDays(2));

    // restarted during a freeze attack: stale 3 days after the last fresh state, not after start
    Freshness after = Freshness.restore(Duration.ofDays(3), clock, dataDir);
    assertEquals(T0.plus(Duration.ofDays(1)), after.lastFresh());
    clock.advance(Duration.ofDays(1));
    assertEquals("FRESH", after.label());
    clock.advance(Duration.ofSeconds(1));
    assertEquals("STALE", after.label());
  }

  @Test
  void restore_withoutARecord_countsFromTheStartAndSaysSo(@TempDir Path dataDir) {
    try (LogCapture log = new LogCapture(FreshnessFile.class)) {
      Freshness freshness = Freshness.restore(Duration.ofDays(3), clock, dataDir);
      assertEquals(T0, freshness.lastFresh());
      assertEquals(
          List.of(
              dataDir.resolve("last-fresh.txt")
                  + " is missing: freshness is unknown, counted from the agent's start"),
          log.lines);
    }
  }

  @Test
  void restore_ofACorruptRecord_countsFromTheStartAndSaysSo(@TempDir Path dataDir)
      throws Exception {
    Path file = Files.writeString(dataDir.resolve("last-fresh.txt"), "garbage\n");
    try (LogCapture log = new LogCapture(FreshnessFile.class)) {
      Freshness freshness = Freshness.restore(Duration.ofDays(3), clock, dataDir);
      assertEquals(T0, freshness.lastFresh());
      assertEquals("FRESH", freshness.label());
      assertEquals(
          List.of(
              file
                  + " is corrupt (Text 'garbage' could not be parsed at index 0): freshness is"
                  + " unknown, counted from the agent's start"),
          log.lines);
    }
    Files.write(file, new byte[100]);
    assertEquals(T0, Freshness.restore(Duration.ofDays(3), clock, dataDir).lastFresh());
  }

  @Test
  void restore_ofATimeAfterNow_countsFromNow(@TempDir Path dataDir) throws Exception {
    Files.writeString(dataDir.resolve("last-fresh.txt"), T0.plusSeconds(60) + "\n");
    assertEquals(T0, Freshness.restore(Duration.ofDays(3), clock, dataDir).lastFresh());
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
