package dev.ferry.hub.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PositiveDurationTest {
  private final PositiveDuration converter = new PositiveDuration();

  @Test
  void convert_readsDurationsAsQuarkusDoes() {
    assertEquals(Duration.ofSeconds(1), converter.convert("1s"));
    assertEquals(Duration.ofMillis(50), converter.convert("PT0.05S"));
    assertEquals(Duration.ofDays(7), converter.convert("P7D"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"0s", "PT0S", "-1s", "0"})
  void convert_refusesZeroOrLess(String value) {
    assertEquals(
        "it must be longer than zero, as 1s, 500ms or P7D",
        assertThrows(IllegalArgumentException.class, () -> converter.convert(value)).getMessage());
  }
}
