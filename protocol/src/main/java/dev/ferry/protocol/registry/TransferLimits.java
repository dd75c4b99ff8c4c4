package dev.ferry.protocol.registry;

import java.time.Duration;

/**
 * How slow a response body may be before the transfer is abandoned with a {@link
 * StalledTransferException} (what was fetched is kept for a resume): no byte for {@code idle};
 * fewer than {@code minBytes} in any {@code window} (a trickle that never goes idle); not done
 * within {@code deadline}.
 *
 * @param idle the longest wait for a byte
 * @param minBytes the fewest bytes per window; 0 for no floor
 * @param window the window of the floor
 * @param deadline the longest a body may take; {@link Duration#ZERO} for none
 */
public record TransferLimits(Duration idle, long minBytes, Duration window, Duration deadline) {
  /** The idle timeout alone: 30 s, no floor, no deadline. */
  public static final TransferLimits DEFAULT =
      new TransferLimits(Duration.ofSeconds(30), 0, Duration.ofSeconds(60), Duration.ZERO);

  /** Checks the values. */
  public TransferLimits {
    positive(idle, "idle");
    positive(window, "window");
    if (minBytes < 0) {
      throw new IllegalArgumentException("minBytes must be at least 0, got " + minBytes);
    }
    if (deadline == null || deadline.isNegative()) {
      throw new IllegalArgumentException("deadline must be 0 (none) or positive, got " + deadline);
    }
  }

  /**
   * These limits with another idle timeout.
   *
   * @param timeout the idle timeout
   * @return the limits
   */
  public TransferLimits withIdle(Duration timeout) {
    return new TransferLimits(timeout, minBytes, window, deadline);
  }

  private static void positive(Duration value, String field) {
    if (value == null || value.isNegative() || value.isZero()) {
      throw new IllegalArgumentException(field + " must be positive, got " + value);
    }
  }
}
