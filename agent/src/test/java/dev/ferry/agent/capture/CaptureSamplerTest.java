package dev.ferry.agent.capture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.protocol.capture.CapturePolicy;
import dev.ferry.protocol.capture.CaptureTensors;
import dev.ferry.protocol.testing.TestClock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class CaptureSamplerTest {
  private static final Instant T0 = Instant.parse("2026-05-04T00:00:00Z");

  @Test
  void admit_samplesAtTheRateWithinThreeSigmaOverTwentyThousandRequests() {
    CaptureSampler sampler = sampler(CapturePolicy.sampling(0.01, 1_000_000, Long.MAX_VALUE));
    int admitted = 0;
    for (int i = 0; i < 20_000; i++) {
      admitted += sampler.admit(false, 100) ? 1 : 0;
    }
    // mean 200, sigma 14
    assertTrue(admitted > 158 && admitted < 242, "admitted " + admitted);
  }

  @Test
  void admit_neverSamplesAtRateZeroNorMissesAtRateOne() {
    CaptureSampler none = sampler(CapturePolicy.sampling(0, 1000, 1 << 30));
    CaptureSampler all = sampler(CapturePolicy.sampling(1, 100_000, 1L << 40));
    int noneAdmitted = 0;
    int allAdmitted = 0;
    for (int i = 0; i < 5000; i++) {
      noneAdmitted += none.admit(false, 10) ? 1 : 0;
      allAdmitted += all.admit(false, 10) ? 1 : 0;
    }
    assertEquals(0, noneAdmitted);
    assertEquals(5000, allAdmitted);
  }

  @Test
  void admit_holdsTheHourlyCapAndStartsAgainEachHour() {
    TestClock clock = new TestClock(T0);
    CaptureSampler sampler =
        new CaptureSampler(
            CapturePolicy.sampling(1, 50, Long.MAX_VALUE), clock, new SplittableRandom(1));
    int admitted = 0;
    for (int hour = 0; hour < 24; hour++) {
      for (int i = 0; i < 1000; i++) {
        admitted += sampler.admit(false, 1) ? 1 : 0;
        clock.advance(Duration.ofMillis(3600));
      }
    }
    assertEquals(24 * 50, admitted);
  }

  @Test
  void admit_holdsTheDailyByteCapAndStartsAgainTheNextDay() {
    TestClock clock = new TestClock(T0);
    CaptureSampler sampler =
        new CaptureSampler(
            CapturePolicy.sampling(1, 1_000_000, 10_000), clock, new SplittableRandom(1));
    long bytes = 0;
    for (int i = 0; i < 3000; i++) {
      bytes += sampler.admit(false, 300) ? 300 : 0;
    }
    assertEquals(9900, bytes);
    clock.advance(Duration.ofDays(1));
    assertTrue(sampler.admit(false, 300));
  }

  @Test
  void admit_takesEveryInterestingRequestWithinTheCaps() {
    CapturePolicy policy =
        new CapturePolicy(0, 3, 1 << 20, CaptureTensors.BOTH, true, 0.5, "probs", Map.of());
    CaptureSampler sampler = sampler(policy);
    assertTrue(sampler.interesting(true, Double.NaN));
    assertTrue(sampler.interesting(false, 0.4));
    assertFalse(sampler.interesting(false, 0.9));
    assertFalse(sampler.interesting(false, Double.NaN));
    int admitted = 0;
    for (int i = 0; i < 1000; i++) {
      admitted += sampler.admit(true, 10) ? 1 : 0;
    }
    assertEquals(3, admitted);
  }

  private static CaptureSampler sampler(CapturePolicy policy) {
    return new CaptureSampler(policy, new TestClock(T0), new SplittableRandom(42));
  }
}
