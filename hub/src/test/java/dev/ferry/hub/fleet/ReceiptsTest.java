package dev.ferry.hub.fleet;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ferry.protocol.device.Receipt;
import dev.ferry.protocol.device.TelemetryBatch;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

class ReceiptsTest {
  private static final Instant T0 = Instant.parse("2026-12-04T10:00:00Z");

  private static TelemetryBatch batch(String device, long seq) {
    return new TelemetryBatch(device, seq, T0, T0, 0, List.of(), null);
  }

  @Test
  void telemetryReceipts_namePerDeviceEachBatchOnceInOrder() {
    List<Receipt> receipts =
        Receipts.ofTelemetry(
            List.of(batch("a", 3), batch("b", 1), batch("a", 2), batch("a", 3), batch("b", 2)));
    assertEquals(
        List.of(
            Receipt.ofTelemetry("a", List.of(3L, 2L)), Receipt.ofTelemetry("b", List.of(1L, 2L))),
        receipts);
  }

  @Test
  void telemetryReceipts_splitPastTheirLimit() {
    List<TelemetryBatch> batches = new ArrayList<>();
    LongStream.rangeClosed(1, Receipt.MAX_ENTRIES + 1).forEach(seq -> batches.add(batch("a", seq)));
    List<Receipt> receipts = Receipts.ofTelemetry(batches);
    assertEquals(2, receipts.size());
    assertEquals(Receipt.MAX_ENTRIES, receipts.get(0).telemetry().size());
    assertEquals(List.of(Receipt.MAX_ENTRIES + 1L), receipts.get(1).telemetry());
  }
}
