package dev.ferry.agent.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.protocol.testing.TestClock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class RecentProofTest {
  private final TestClock clock = new TestClock(Instant.parse("2026-12-05T01:00:00Z"));
  private final AtomicInteger runs = new AtomicInteger();
  private final AtomicBoolean passes = new AtomicBoolean(true);
  private final RecentProof proof =
      new RecentProof(
          version -> {
            runs.incrementAndGet();
            return passes.get();
          },
          clock,
          Duration.ofMinutes(1));

  @Test
  void manyAsksWithinTheInterval_runTheGoldenCasesOnce() {
    for (int i = 0; i < 1000; i++) {
      assertTrue(proof.test(null));
      clock.advance(Duration.ofMillis(59));
    }
    assertEquals(1, runs.get());
  }

  @Test
  void aVerdictStandsUntilTheIntervalEnds_thenRunsAgain() {
    assertTrue(proof.test(null));
    passes.set(false);
    clock.advance(Duration.ofSeconds(59));
    assertTrue(proof.test(null), "still the verdict of the first run");
    clock.advance(Duration.ofSeconds(1));
    assertFalse(proof.test(null), "a minute later the cases run again");
    assertEquals(2, runs.get());
  }
}
