package dev.ferry.protocol.device;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.ferry.protocol.json.FieldException;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The limits the hub's columns and sums rely on: reasons it can store, counts it can add. */
class ModelTelemetryTest {
  private static ModelTelemetry of(long requests, Map<String, Long> errors) {
    return new ModelTelemetry("m", "1.0.0", "CPU", requests, errors, LatencyHistogram.empty());
  }

  private static String refusal(long requests, Map<String, Long> errors) {
    return assertThrows(FieldException.class, () -> of(requests, errors)).getMessage();
  }

  @Test
  void reasons_ofTheSafeCharactersUpTo128_areKept() {
    String longest = "a".repeat(128);
    assertEquals(
        Map.of("invalid_input", 1L, longest, 2L, "ort:INVALID_ARGUMENT.x-1", 3L),
        of(6, Map.of("invalid_input", 1L, longest, 2L, "ort:INVALID_ARGUMENT.x-1", 3L)).errors());
  }

  @Test
  void reasons_tooLongOrWithOtherCharacters_areRefused() {
    assertEquals(
        "errors key must match [A-Za-z0-9_.:-]{1,128}, got '" + "a".repeat(80) + "…'",
        refusal(1, Map.of("a".repeat(129), 1L)));
    assertEquals(
        "errors key must match [A-Za-z0-9_.:-]{1,128}, got 'a b\\u000a'",
        refusal(1, Map.of("a b\n", 1L)));
    assertEquals(
        "errors key must match [A-Za-z0-9_.:-]{1,128}, got ''", refusal(1, Map.of("", 1L)));
  }

  @Test
  void counts_negativeOrAboveTheLargestCount_areRefused() {
    assertEquals(
        "requests must be a count from 0 to 1125899906842624, got 9223372036854775807",
        refusal(Long.MAX_VALUE, Map.of()));
    assertEquals(
        "errors.runtime must be a count from 0 to 1125899906842624, got -1",
        refusal(1, Map.of("runtime", -1L)));
    assertEquals(
        "errors.runtime must be a count from 0 to 1125899906842624, got 1125899906842625",
        refusal(1, Map.of("runtime", (1L << 50) + 1)));
  }

  @Test
  void reasons_moreThan64_areRefused() {
    Map<String, Long> errors = new HashMap<>();
    for (int i = 0; i < 65; i++) {
      errors.put("r" + i, 1L);
    }
    assertEquals("errors must have at most 64 reasons, got 65", refusal(65, errors));
    errors.remove("r64");
    assertEquals(64, of(64, errors).errors().size());
  }
}
