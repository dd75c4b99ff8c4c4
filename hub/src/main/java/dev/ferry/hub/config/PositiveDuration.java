package dev.ferry.hub.config;

import io.quarkus.runtime.configuration.DurationConverter;
import java.time.Duration;
import org.eclipse.microprofile.config.spi.Converter;

/**
 * Reads a duration the hub schedules or signs with ({@code 1s}, {@code 500ms}, {@code P7D}, as
 * Quarkus reads durations) and refuses zero or less at start, where the configuration names the
 * property and the value; a zero tick would otherwise fail deep in a scheduler with no message.
 */
public final class PositiveDuration implements Converter<Duration> {
  private static final long serialVersionUID = 1L;

  @Override
  public Duration convert(String value) {
    Duration duration = DurationConverter.parseDuration(value);
    if (duration == null || duration.isNegative() || duration.isZero()) {
      throw new IllegalArgumentException("it must be longer than zero, as 1s, 500ms or P7D");
    }
    return duration;
  }
}
