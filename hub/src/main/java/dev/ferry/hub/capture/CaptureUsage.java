package dev.ferry.hub.capture;

import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.Map;

/**
 * What one device has sent per model and hour (samples) and per model and UTC day (bytes): what is
 * stored, loaded once per window, plus what the upload being checked adds.
 */
final class CaptureUsage {
  /**
   * Samples and bytes in a window.
   *
   * @param samples how many samples
   * @param bytes how many bytes of tensors
   */
  record Used(long samples, long bytes) {
    Used plus(long sampleBytes) {
      return new Used(samples + 1, bytes + sampleBytes);
    }
  }

  /** Reads what is stored for a model captured in {@code [from, to)}. */
  @FunctionalInterface
  interface Stored {
    Used between(String model, Instant from, Instant to) throws SQLException;
  }

  private final Stored stored;
  private final Map<String, Used> windows = new HashMap<>();

  CaptureUsage(Stored stored) {
    this.stored = stored;
  }

  /** The samples of the model in the hour of {@code at}. */
  long samplesInHour(String model, Instant at) throws SQLException {
    return window(model, at.truncatedTo(ChronoUnit.HOURS), Duration.ofHours(1)).samples();
  }

  /** The bytes of the model in the UTC day of {@code at}. */
  long bytesInDay(String model, Instant at) throws SQLException {
    return window(model, at.truncatedTo(ChronoUnit.DAYS), Duration.ofDays(1)).bytes();
  }

  /** Counts a sample accepted. */
  void add(String model, Instant at, long bytes) throws SQLException {
    bump(model, at.truncatedTo(ChronoUnit.HOURS), Duration.ofHours(1), bytes);
    bump(model, at.truncatedTo(ChronoUnit.DAYS), Duration.ofDays(1), bytes);
  }

  private void bump(String model, Instant from, Duration length, long bytes) throws SQLException {
    windows.put(key(model, from, length), window(model, from, length).plus(bytes));
  }

  private Used window(String model, Instant from, Duration length) throws SQLException {
    String key = key(model, from, length);
    Used used = windows.get(key);
    if (used == null) {
      used = stored.between(model, from, from.plus(length));
      windows.put(key, used);
    }
    return used;
  }

  private static String key(String model, Instant from, Duration length) {
    return model + "@" + from + "/" + length;
  }
}
