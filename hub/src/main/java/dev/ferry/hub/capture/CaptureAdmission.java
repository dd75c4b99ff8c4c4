package dev.ferry.hub.capture;

import dev.ferry.protocol.capture.CapturePolicy;
import dev.ferry.protocol.capture.CaptureSample;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Decides whether the hub takes a sample from a device: the device must be granted capture of the
 * sample's model version, the sample must fit the hub's size limit and the policy's caps, and its
 * capture time must lie between the oldest the hub keeps and a little after now. Pure: what the hub
 * knows comes in, a refusal or none goes out.
 */
final class CaptureAdmission {
  /** How far a device's clock may run ahead of the hub's. */
  static final Duration CLOCK_SKEW = Duration.ofMinutes(5);

  private final String deviceId;
  private final Function<CaptureSample, CaptureGrant> grants;
  private final CaptureUsage usage;
  private final CaptureLimits limits;
  private final Instant now;

  CaptureAdmission(
      String deviceId,
      Function<CaptureSample, CaptureGrant> grants,
      CaptureUsage usage,
      CaptureLimits limits,
      Instant now) {
    this.deviceId = deviceId;
    this.grants = grants;
    this.usage = usage;
    this.limits = limits;
    this.now = now;
  }

  /**
   * Checks a sample and, when it is taken, counts it against the caps.
   *
   * @param index its place in the upload, for the message
   * @param sample the sample
   * @return why it is refused; empty when taken
   */
  Optional<String> check(int index, CaptureSample sample) throws SQLException {
    String at = "samples[" + index + "]";
    Optional<String> refusal = timeAndSize(at, sample).or(() -> granted(at, sample));
    if (refusal.isEmpty()) {
      refusal = caps(at, sample);
    }
    if (refusal.isEmpty()) {
      usage.add(sample.model(), sample.capturedAt(), sample.size());
    }
    return refusal;
  }

  private Optional<String> timeAndSize(String at, CaptureSample sample) {
    Instant captured = sample.capturedAt();
    if (captured.isAfter(now.plus(CLOCK_SKEW))) {
      return refuse("%s.capturedAt: later than the hub's clock allows: %s", at, captured);
    }
    if (captured.isBefore(now.minus(limits.maxAge()))) {
      return refuse(
          "%s.capturedAt: older than the hub keeps captures (%s): %s",
          at, limits.maxAge(), captured);
    }
    return sample.size() <= limits.maxSampleBytes()
        ? Optional.empty()
        : refuse(
            "%s: %d bytes of tensors, more than ferry.hub.capture.max-sample-bytes=%d",
            at, sample.size(), limits.maxSampleBytes());
  }

  private Optional<String> granted(String at, CaptureSample sample) {
    return Optional.ofNullable(grants.apply(sample).refusal()).map(r -> at + ".version: " + r);
  }

  private Optional<String> caps(String at, CaptureSample sample) throws SQLException {
    CapturePolicy policy = grants.apply(sample).policy();
    Optional<String> hourly = hourly(at, sample, policy.maxPerHour());
    return hourly.isPresent() ? hourly : daily(at, sample, policy.maxBytesPerDay());
  }

  private Optional<String> hourly(String at, CaptureSample sample, long max) throws SQLException {
    if (usage.samplesInHour(sample.model(), sample.capturedAt()) < max) {
      return Optional.empty();
    }
    return refuse(
        "%s.capturedAt: device '%s' is over maxPerHour=%d for model '%s' in the hour of %s",
        at, deviceId, max, sample.model(), sample.capturedAt());
  }

  private Optional<String> daily(String at, CaptureSample sample, long max) throws SQLException {
    if (usage.bytesInDay(sample.model(), sample.capturedAt()) + sample.size() <= max) {
      return Optional.empty();
    }
    return refuse(
        "%s: device '%s' is over maxBytesPerDay=%d for model '%s' on %s with a sample of %d bytes",
        at, deviceId, max, sample.model(), DatasetPacker.dayOf(sample.capturedAt()), sample.size());
  }

  private static Optional<String> refuse(String format, Object... args) {
    return Optional.of(String.format(java.util.Locale.ROOT, format, args));
  }

  /** The grants of an upload's model versions, looked up once each. */
  static Function<CaptureSample, CaptureGrant> cached(Map<String, CaptureGrant> grants) {
    return sample -> grants.get(sample.model() + "@" + sample.version());
  }
}
