package dev.ferry.hub.capture;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ferry.protocol.capture.CapturePolicy;
import dev.ferry.protocol.capture.CaptureSample;
import dev.ferry.protocol.capture.CapturedTensor;
import dev.ferry.protocol.release.Datatype;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class CaptureAdmissionTest {
  private static final Instant NOW = Instant.parse("2026-05-04T10:30:00Z");
  private static final CaptureLimits LIMITS = new CaptureLimits(100, Duration.ofDays(30));

  private final Map<String, CaptureUsage.Used> stored = new HashMap<>();
  private final List<String> loads = new ArrayList<>();

  @Test
  void check_takesSamplesUpToTheHourlyCapCountingWhatIsStoredAndWhatTheUploadAdds()
      throws SQLException {
    stored.put("2026-05-04T10:00:00Z", new CaptureUsage.Used(2, 24));
    CaptureAdmission admission =
        admission(CaptureGrant.of(PolicyRecord.of(null, CapturePolicy.sampling(1, 4, 1000))));

    assertEquals(Optional.empty(), admission.check(0, sample("a", NOW)));
    assertEquals(Optional.empty(), admission.check(1, sample("b", NOW.minusSeconds(60))));
    assertEquals(
        Optional.of(
            "samples[2].capturedAt: device 'dev-1' is over maxPerHour=4 for model 'det'"
                + " in the hour of 2026-05-04T10:29:00Z"),
        admission.check(2, sample("c", NOW.minusSeconds(60))));
    // another hour has its own count
    assertEquals(Optional.empty(), admission.check(3, sample("d", NOW.minusSeconds(3600))));
    // each window is read once from what is stored
    assertEquals(
        List.of(
            "2026-05-04T10:00:00Z/PT1H", "2026-05-04T00:00:00Z/PT24H", "2026-05-04T09:00:00Z/PT1H"),
        loads);
  }

  @Test
  void check_refusesASampleThatWouldPassTheDailyByteCap() throws SQLException {
    stored.put("2026-05-04T00:00:00Z", new CaptureUsage.Used(10, 990));
    CaptureAdmission admission =
        admission(CaptureGrant.of(PolicyRecord.of(null, CapturePolicy.sampling(1, 100, 1000))));

    assertEquals(
        Optional.of(
            "samples[0]: device 'dev-1' is over maxBytesPerDay=1000 for model 'det' on 2026-05-04"
                + " with a sample of 12 bytes"),
        admission.check(0, sample("a", NOW)));
  }

  @Test
  void check_refusesWhatTheGrantRefusesWithItsReason() throws SQLException {
    CaptureAdmission admission =
        admission(
            CaptureGrant.refused("device 'dev-1' was never assigned model 'det' version '1.0.0'"));

    assertEquals(
        Optional.of(
            "samples[0].version: device 'dev-1' was never assigned model 'det' version '1.0.0'"),
        admission.check(0, sample("a", NOW)));
  }

  @Test
  void check_refusesCaptureTimesOutsideWhatTheHubKeepsAndOversizedSamples() throws SQLException {
    CaptureAdmission admission =
        admission(CaptureGrant.of(PolicyRecord.of(null, CapturePolicy.sampling(1, 100, 1000))));

    assertEquals(
        Optional.of(
            "samples[0].capturedAt: later than the hub's clock allows: 2026-05-04T10:36:00Z"),
        admission.check(0, sample("a", NOW.plusSeconds(360))));
    assertEquals(
        Optional.of(
            "samples[1].capturedAt: older than the hub keeps captures (PT720H):"
                + " 2026-04-04T10:29:59Z"),
        admission.check(1, sample("b", NOW.minus(Duration.ofDays(30)).minusSeconds(1))));
    CaptureSample large = sample("c", NOW, new byte[104]);
    assertEquals(
        Optional.of(
            "samples[2]: 104 bytes of tensors, more than ferry.hub.capture.max-sample-bytes=100"),
        admission.check(2, large));
    assertEquals(Optional.empty(), admission.check(3, sample("d", NOW.plusSeconds(299))));
  }

  private CaptureAdmission admission(CaptureGrant grant) {
    CaptureUsage usage =
        new CaptureUsage(
            (model, from, to) -> {
              loads.add(from + "/" + Duration.between(from, to));
              return stored.getOrDefault(from.toString(), new CaptureUsage.Used(0, 0));
            });
    return new CaptureAdmission("dev-1", sample -> grant, usage, LIMITS, NOW);
  }

  private static CaptureSample sample(String id, Instant at) {
    return sample(id, at, new byte[12]);
  }

  private static CaptureSample sample(String id, Instant at, byte[] data) {
    long elements = data.length / 4;
    return new CaptureSample(
        id,
        "det",
        "1.0.0",
        at,
        false,
        List.of(new CapturedTensor("x", false, Datatype.FP32, List.of(1L, elements), data)));
  }
}
