package dev.ferry.protocol.device;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.protocol.json.FieldException;
import dev.ferry.protocol.json.JsonCodec;
import dev.ferry.protocol.json.MalformedMessageException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The limits the hub's columns and sums rely on: reasons it can store, counts it can add, variant
 * names it can group by.
 */
class ModelTelemetryTest {
  private static final JsonCodec CODEC = new JsonCodec();
  private static final String BATCH =
      "{\"schema\":\"ferry.telemetry/v1\",\"deviceId\":\"edge-01\",\"seq\":1,"
          + "\"from\":\"2026-11-28T10:00:00Z\",\"to\":\"2026-11-28T10:00:10Z\","
          + "\"droppedBatches\":0,\"models\":[{\"name\":\"m\",\"version\":\"1.0.0\","
          + "\"executionProvider\":\"CPU\",\"requests\":1,\"errors\":{},"
          + "\"latency\":{\"boundsMillis\":[1.0],\"counts\":[1,0]}%s}]}";

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

  @Test
  void variant_roundTripsThroughTheCodec() {
    ModelTelemetry served =
        new ModelTelemetry("m", "1.0.0", "CPU", 3, Map.of(), LatencyHistogram.empty(), "fp16-cpu");
    TelemetryBatch batch = batch(served);
    String json = new String(CODEC.encode(batch), StandardCharsets.UTF_8);
    assertTrue(json.contains("\"variant\":\"fp16-cpu\""), json);
    assertEquals(batch, CODEC.decode(json.getBytes(StandardCharsets.UTF_8), TelemetryBatch.class));
  }

  @Test
  void variant_absentFromAnOlderAgent_decodesAsNone_andIsNotWritten() {
    TelemetryBatch older = decode(String.format(BATCH, ""));
    assertNull(older.models().get(0).variant());
    assertFalse(
        new String(CODEC.encode(older), StandardCharsets.UTF_8).contains("variant"),
        "no variant written for a release of one file");
    assertEquals(
        "fp32-cpu",
        decode(String.format(BATCH, ",\"variant\":\"fp32-cpu\"")).models().get(0).variant());
  }

  @Test
  void variant_notAVariantName_isRefused() {
    assertEquals(
        "variant must match [a-z0-9][a-z0-9._-]{0,63}, got 'FP16 cpu'",
        assertThrows(
                FieldException.class,
                () -> new ModelTelemetry("m", "1.0.0", "CPU", 1, Map.of(), histogram(), "FP16 cpu"))
            .getMessage());
    assertEquals(
        "ferry.telemetry/v1: models[0].variant must match [a-z0-9][a-z0-9._-]{0,63}, got '"
            + "a".repeat(65)
            + "'",
        assertThrows(
                MalformedMessageException.class,
                () -> decode(String.format(BATCH, ",\"variant\":\"" + "a".repeat(65) + "\"")))
            .getMessage());
    assertEquals(
        "ferry.telemetry/v1: models[0].variant must be a string, got 7",
        assertThrows(
                MalformedMessageException.class,
                () -> decode(String.format(BATCH, ",\"variant\":7")))
            .getMessage());
  }

  private static LatencyHistogram histogram() {
    return LatencyHistogram.empty();
  }

  private static TelemetryBatch batch(ModelTelemetry model) {
    Instant t0 = Instant.parse("2026-11-28T10:00:00Z");
    return new TelemetryBatch("edge-01", 1, t0, t0.plusSeconds(10), 0, List.of(model), null);
  }

  private static TelemetryBatch decode(String json) {
    return CODEC.decode(json.getBytes(StandardCharsets.UTF_8), TelemetryBatch.class);
  }
}
