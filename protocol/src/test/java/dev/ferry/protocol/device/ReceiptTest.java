package dev.ferry.protocol.device;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.ferry.protocol.json.FieldException;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

class ReceiptTest {
  @Test
  void receipt_namesAtLeastOneBatchOrEvent() {
    assertEquals(
        "telemetry must not be empty when events is",
        assertThrows(FieldException.class, () -> new Receipt("edge-01", List.of(), null))
            .getMessage());
    assertEquals(List.of(), Receipt.ofEvent("edge-01", "e1").telemetry());
    assertEquals(List.of(), Receipt.ofTelemetry("edge-01", List.of(1L)).events());
  }

  @Test
  void receipt_refusesASequenceNumberBelowOne() {
    assertEquals(
        "telemetry[1] must be at least 1, got 0",
        assertThrows(FieldException.class, () -> Receipt.ofTelemetry("edge-01", List.of(3L, 0L)))
            .getMessage());
  }

  @Test
  void receipt_refusesABlankEventId() {
    assertEquals(
        "events[0] must not be blank",
        assertThrows(FieldException.class, () -> Receipt.ofEvent("edge-01", " ")).getMessage());
  }

  @Test
  void receipt_namesAtMostAThousandBatches() {
    List<Long> seqs = LongStream.rangeClosed(1, 1001).boxed().toList();
    assertEquals(
        "telemetry must have at most 1000 entries, got 1001",
        assertThrows(FieldException.class, () -> Receipt.ofTelemetry("edge-01", seqs))
            .getMessage());
  }
}
