package dev.ferry.hub.telemetry;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ferry.protocol.device.Receipt;
import dev.ferry.protocol.device.TelemetryBatch;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

class TelemetryReceiptsTest {
  private static TelemetryBatch batch(String device, long seq) {
    return TelemetryIngestTest.batch(device, seq, "m", 1, 0);
  }

  @Test
  void receipts_namePerDeviceEachBatchOnceInOrder() {
    List<Receipt> receipts =
        TelemetryReceipts.of(
            List.of(batch("a", 3), batch("b", 1), batch("a", 2), batch("a", 3), batch("b", 2)));
    assertEquals(
        List.of(new Receipt("a", List.of(3L, 2L)), new Receipt("b", List.of(1L, 2L))), receipts);
  }

  @Test
  void receipts_splitPastTheirLimit() {
    List<TelemetryBatch> batches = new ArrayList<>();
    LongStream.rangeClosed(1, Receipt.MAX_SEQS + 1).forEach(seq -> batches.add(batch("a", seq)));
    List<Receipt> receipts = TelemetryReceipts.of(batches);
    assertEquals(2, receipts.size());
    assertEquals(Receipt.MAX_SEQS, receipts.get(0).telemetry().size());
    assertEquals(List.of(Receipt.MAX_SEQS + 1L), receipts.get(1).telemetry());
  }
}
