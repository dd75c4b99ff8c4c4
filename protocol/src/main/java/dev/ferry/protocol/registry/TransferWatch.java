package dev.ferry.protocol.registry;

import java.util.Optional;

/**
 * Watches one body against its {@link TransferLimits}: fed the bytes so far and the time, it says
 * what is wrong, if anything. Times are {@link System#nanoTime} values, given so tests need no
 * clock.
 */
final class TransferWatch {
  private final TransferLimits limits;
  private final long start;
  private long lastByte;
  private long windowStart;
  private long windowBytes;
  private long bytes;

  TransferWatch(TransferLimits limits, long now) {
    this.limits = limits;
    this.start = now;
    this.lastByte = now;
    this.windowStart = now;
  }

  /** Bytes received so far, in all. */
  synchronized void received(long total, long now) {
    bytes = total;
    lastByte = now;
  }

  /** What breaks the limits now; empty while the transfer keeps pace. */
  synchronized Optional<String> problem(long now) {
    if (now - lastByte > limits.idle().toNanos()) {
      return Optional.of("no data for " + limits.idle().toMillis() + " ms");
    }
    if (!limits.deadline().isZero() && now - start > limits.deadline().toNanos()) {
      return Optional.of(
          "not done within " + limits.deadline().toMillis() + " ms (" + bytes + " bytes received)");
    }
    return belowFloor(now);
  }

  /** At the end of each window: fewer bytes in it than the floor is a trickle. */
  private Optional<String> belowFloor(long now) {
    if (now - windowStart < limits.window().toNanos()) {
      return Optional.empty();
    }
    long inWindow = bytes - windowBytes;
    windowStart = now;
    windowBytes = bytes;
    if (inWindow >= limits.minBytes()) {
      return Optional.empty();
    }
    return Optional.of(
        "only "
            + inWindow
            + " bytes in "
            + limits.window().toMillis()
            + " ms, below the floor of "
            + limits.minBytes()
            + " bytes per "
            + limits.window().toMillis()
            + " ms");
  }
}
