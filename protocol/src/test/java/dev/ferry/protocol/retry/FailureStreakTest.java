package dev.ferry.protocol.retry;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ferry.protocol.retry.FailureStreak.Ended;
import dev.ferry.protocol.retry.FailureStreak.Report;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class FailureStreakTest {
  private static final Instant T0 = Instant.parse("2026-12-06T10:00:00Z");
  private final FailureStreak streak = new FailureStreak(Duration.ofMinutes(10));

  @Test
  void failures_areToldAtTheStartAndEveryTenMinutes_andTheEndSaysHowLongAndHowMany() {
    assertEquals(Report.FIRST, streak.failed(T0));
    assertEquals(Report.QUIET, streak.failed(T0.plusSeconds(1)));
    assertEquals(Report.QUIET, streak.failed(T0.plusSeconds(599)));
    assertEquals(Report.AGAIN, streak.failed(T0.plusSeconds(600)));
    assertEquals(Report.QUIET, streak.failed(T0.plusSeconds(660)));
    assertEquals(Optional.of(T0), streak.since());
    assertEquals(5, streak.failures());

    assertEquals(
        Optional.of(new Ended(T0, 5, Duration.ofSeconds(700))), streak.ended(T0.plusSeconds(700)));
    assertEquals(Optional.empty(), streak.since());
    assertEquals(0, streak.failures());
    assertEquals(Report.FIRST, streak.failed(T0.plusSeconds(800)), "a new streak");
  }

  @Test
  void aFailureToldElsewhere_isTheStreaksFirst() {
    streak.began(T0);
    streak.began(T0.plusSeconds(300));

    assertEquals(Report.QUIET, streak.failed(T0.plusSeconds(1)));
    assertEquals(Report.AGAIN, streak.failed(T0.plusSeconds(600)));
    assertEquals(Duration.ofSeconds(900), streak.ended(T0.plusSeconds(900)).orElseThrow().lasted());
  }

  @Test
  void anEnd_withNoStreak_isEmpty() {
    assertEquals(Optional.empty(), streak.ended(T0));
  }
}
