package dev.ferry.agent.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ferry.protocol.device.Receipt;
import dev.ferry.protocol.json.JsonCodec;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReceiptRouterTest {
  private static final JsonCodec CODEC = new JsonCodec();

  private final List<List<Long>> telemetry = new ArrayList<>();
  private final List<List<String>> events = new ArrayList<>();
  private final ReceiptRouter router = new ReceiptRouter("edge-1", telemetry::add, events::add);

  @Test
  void receipts_goToTheJournalAndTheEventQueue() {
    router.accept(CODEC.encode(new Receipt("edge-1", List.of(4L, 5L), List.of("e1"))));
    router.accept(CODEC.encode(Receipt.ofEvent("edge-1", "e2")));
    assertEquals(List.of(List.of(4L, 5L)), telemetry);
    assertEquals(List.of(List.of("e1"), List.of("e2")), events);
  }

  @Test
  void receiptsOfAnotherDeviceOrGarbage_areIgnored() {
    router.accept(CODEC.encode(Receipt.ofTelemetry("edge-2", List.of(1L))));
    router.accept("{not a receipt".getBytes(StandardCharsets.UTF_8));
    router.accept(new byte[0]);
    assertEquals(List.of(), telemetry);
    assertEquals(List.of(), events);
  }
}
