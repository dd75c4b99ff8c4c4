package dev.ferry.agent.capture;

import dev.ferry.protocol.capture.CapturePolicy;
import java.time.Clock;
import java.util.random.RandomGenerator;

/**
 * Decides, cheaply and on the request thread, whether one request of a model is captured: by the
 * policy's rate (or at once when the request is interesting), then within the hourly count and the
 * daily byte caps, in windows of the clock's hour and UTC day.
 */
final class CaptureSampler {
  private static final long HOUR = 3600;
  private static final long DAY = 86_400;

  private final CapturePolicy policy;
  private final Clock clock;
  private final RandomGenerator random;
  private long hour = -1;
  private long inHour;
  private long day = -1;
  private long bytesInDay;

  CaptureSampler(CapturePolicy policy, Clock clock, RandomGenerator random) {
    this.policy = policy;
    this.clock = clock;
    this.random = random;
  }

  CapturePolicy policy() {
    return policy;
  }

  /**
   * Whether to capture a request, charging it to the caps if so: {@link #drawn} and then {@link
   * #charged}.
   *
   * @param interesting whether the policy prefers it (failed, or below the confidence threshold)
   * @param bytes what its kept tensors take
   * @return true to capture it
   */
  boolean admit(boolean interesting, long bytes) {
    return drawn(interesting) && charged(bytes);
  }

  /**
   * The random draw alone, done first so that a request not drawn costs nothing more.
   *
   * @param interesting whether the policy prefers it: then it is always drawn
   * @return true when the request is drawn
   */
  boolean drawn(boolean interesting) {
    if (interesting || policy.sampleRate() >= 1) {
      return true;
    }
    if (policy.sampleRate() <= 0) {
      return false;
    }
    synchronized (random) {
      return random.nextDouble() < policy.sampleRate();
    }
  }

  /**
   * Charges a drawn request to the hourly count and daily byte caps.
   *
   * @param bytes what its kept tensors take
   * @return false when a cap is reached: the request is not captured
   */
  synchronized boolean charged(long bytes) {
    roll(clock.instant().getEpochSecond());
    if (inHour >= policy.maxPerHour() || bytesInDay + bytes > policy.maxBytesPerDay()) {
      return false;
    }
    inHour++;
    bytesInDay += bytes;
    return true;
  }

  private void roll(long second) {
    if (second / HOUR != hour) {
      hour = second / HOUR;
      inHour = 0;
    }
    if (second / DAY != day) {
      day = second / DAY;
      bytesInDay = 0;
    }
  }

  /**
   * Whether a request is one the policy prefers.
   *
   * @param failed whether inference failed
   * @param confidence the largest element of the policy's confidence output; NaN when unknown
   * @return true when it is preferred
   */
  boolean interesting(boolean failed, double confidence) {
    return (failed && policy.preferFailed())
        || (policy.confidenceBelow() != null && confidence < policy.confidenceBelow());
  }
}
