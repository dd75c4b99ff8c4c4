package dev.ferry.hub.capture;

import java.time.Duration;

/**
 * The hub's own bounds on what a device may upload, whatever its policy says.
 *
 * @param maxSampleBytes the most bytes of tensors in one sample ({@code
 *     ferry.hub.capture.max-sample-bytes})
 * @param maxAge the oldest capture time taken, counted back from now: the retention, since older
 *     samples would expire at once
 */
record CaptureLimits(long maxSampleBytes, Duration maxAge) {
  CaptureLimits {
    if (maxSampleBytes < 1) {
      throw new IllegalArgumentException(
          "ferry.hub.capture.max-sample-bytes must be at least 1, got " + maxSampleBytes);
    }
    if (maxAge.isNegative() || maxAge.isZero()) {
      throw new IllegalArgumentException("ferry.hub.capture.retention must be positive: " + maxAge);
    }
  }
}
