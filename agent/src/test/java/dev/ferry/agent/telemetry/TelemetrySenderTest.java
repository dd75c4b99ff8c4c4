package dev.ferry.agent.telemetry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.protocol.device.ModelTelemetry;
import dev.ferry.protocol.device.TelemetryBatch;
import dev.ferry.protocol.json.JsonCodec;
import dev.ferry.protocol.testing.TestClock;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Batches carry exactly what was served since the last one, survive outages and restarts. */
class TelemetrySenderTest {
  private static final JsonCodec CODEC = new JsonCodec();
  private static final ServedBy SERVED = new ServedBy("m", "1.0.0", null, "CPU");

  @TempDir Path dir;
  private final ServingMeters meters = new ServingMeters(new SimpleMeterRegistry());
  private final List<TelemetryBatch> delivered = new ArrayList<>();
  private boolean up = true;
  private final TestClock clock = new TestClock(Instant.parse("2026-12-04T10:00:00Z"));

  private TelemetrySender sender(long maxBytes) {
    return new TelemetrySender(
        "edge-1",
        meters,
        new DeviceSampler(dir, Set.of("CPU")),
        new TelemetryJournal(dir.resolve("telemetry"), maxBytes),
        new TelemetrySender.Link() {
          @Override
          public boolean up() {
            return up;
          }

          @Override
          public void send(byte[] payload) {
            delivered.add(CODEC.decode(payload, TelemetryBatch.class));
          }
        },
        clock);
  }

  private void serve(int ok, int failed, long nanos) {
    for (int i = 0; i < ok; i++) {
      meters.record(SERVED, nanos, null);
    }
    for (int i = 0; i < failed; i++) {
      meters.record(SERVED, nanos, ServingMeters.INFERENCE_FAILED);
    }
  }

  @Test
  void batches_carryTheDeltasSinceTheLastOne() {
    TelemetrySender sender = sender(1 << 20);
    serve(7, 2, 3_000_000);
    sender.tick();
    serve(5, 0, 30_000_000);
    sender.tick();
    sender.tick();
    assertEquals(List.of(1L, 2L, 3L), delivered.stream().map(TelemetryBatch::seq).toList());
    ModelTelemetry first = delivered.get(0).models().get(0);
    assertEquals(9, first.requests());
    assertEquals(2L, first.errors().get(ServingMeters.INFERENCE_FAILED));
    assertEquals(9, first.latency().total());
    assertEquals(5.0, first.latency().quantileMillis(0.5));
    ModelTelemetry second = delivered.get(1).models().get(0);
    assertEquals(5, second.requests());
    assertEquals(0, second.errors().size());
    assertEquals(50.0, second.latency().quantileMillis(0.5));
    assertEquals(List.of(), delivered.get(2).models(), "nothing served, no model entry");
    assertTrue(delivered.get(0).device().diskFreeBytes() > 0);
    assertEquals(delivered.get(0).to(), delivered.get(1).from());
  }

  @Test
  void batches_nameTheVariantThatServed_eachCountedOnItsOwn() {
    TelemetrySender sender = sender(1 << 20);
    ServedBy fp16 = new ServedBy("m", "1.0.0", "fp16-cpu", "CPU");
    ServedBy fp32 = new ServedBy("m", "1.0.0", "fp32-cpu", "CPU");
    meters.record(fp16, 1_000_000, ServingMeters.INFERENCE_FAILED);
    meters.record(fp32, 1_000_000, null);
    meters.record(fp32, 1_000_000, null);
    sender.tick();
    meters.record(fp16, 1_000_000, null);
    sender.tick();
    Map<String, Long> first = new TreeMap<>();
    delivered.get(0).models().forEach(m -> first.put(m.variant(), m.requests()));
    assertEquals(Map.of("fp16-cpu", 1L, "fp32-cpu", 2L), first);
    ModelTelemetry second = delivered.get(1).models().get(0);
    assertEquals(List.of("fp16-cpu", 1L), List.of(second.variant(), second.requests()));
    assertEquals(1, delivered.get(1).models().size(), "fp32-cpu served nothing since");
  }

  @Test
  void anOutage_keepsBatchesOnDiskAndARestartSendsThemInOrder() throws IOException {
    TelemetrySender sender = sender(1 << 20);
    up = false;
    serve(3, 0, 1_000_000);
    sender.tick();
    serve(4, 0, 1_000_000);
    sender.tick();
    assertEquals(2, batchFiles());
    assertEquals(List.of(), delivered);

    up = true;
    TelemetrySender restarted = sender(1 << 20);
    restarted.drain();
    assertEquals(List.of(1L, 2L), delivered.stream().map(TelemetryBatch::seq).toList());
    assertEquals(
        List.of(3L, 4L), delivered.stream().map(b -> b.models().get(0).requests()).toList());
    restarted.receipt(List.of(1L, 2L));
    restarted.drain();
    assertEquals(0, batchFiles());
    restarted.tick();
    assertEquals(3L, delivered.get(2).seq(), "sequence numbers go on after a restart");
  }

  @Test
  void aFullJournal_dropsTheOldestAndReportsHowMany() throws IOException {
    up = false;
    TelemetrySender sender = sender(2_000);
    for (int i = 0; i < 20; i++) {
      serve(1, 0, 1_000_000);
      sender.tick();
    }
    long onDisk = 0;
    try (Stream<Path> files = Files.list(dir.resolve("telemetry"))) {
      for (Path file : files.filter(f -> f.toString().endsWith(".json")).toList()) {
        onDisk += Files.size(file);
      }
    }
    assertTrue(onDisk <= 2_000, onDisk + " bytes on disk");
    up = true;
    sender.tick();
    TelemetryBatch last = delivered.get(delivered.size() - 1);
    assertEquals(21, last.seq());
    assertEquals(
        21 - delivered.size(), last.droppedBatches(), "every batch not delivered was counted");
    assertTrue(last.droppedBatches() > 0);
  }

  @Test
  void aBatchTheBrokerTook_staysInTheJournalUntilTheHubsReceiptNamesIt() throws IOException {
    // before the fix a batch left the journal on the broker's acknowledgement, and a broker that
    // had restarted without the hub's shared subscription dropped it (F2)
    TelemetrySender sender = sender(1 << 20);
    serve(3, 0, 1_000_000);
    sender.tick();
    serve(2, 0, 1_000_000);
    sender.tick();
    assertEquals(List.of(1L, 2L), delivered.stream().map(TelemetryBatch::seq).toList());
    assertEquals(2, batchFiles());
    sender.drain();
    assertEquals(2, batchFiles(), "the broker's acknowledgement lets nothing go");
    sender.receipt(List.of(1L));
    sender.drain();
    assertEquals(1, batchFiles());
    sender.receipt(List.of(2L, 2L));
    sender.drain();
    assertEquals(0, batchFiles());
    assertEquals(2, delivered.size(), "nothing sent again within the resend delay");
  }

  @Test
  void aBatchNotReceipted_isSentAgainOnReconnectAndAfterTheResendDelay() {
    TelemetrySender sender = sender(1 << 20);
    serve(3, 0, 1_000_000);
    sender.tick();
    clock.advance(Duration.ofSeconds(TelemetrySender.RESEND_AFTER_SECONDS - 1));
    sender.tick();
    assertEquals(List.of(1L, 2L), delivered.stream().map(TelemetryBatch::seq).toList());
    sender.reconnected();
    assertEquals(List.of(1L, 2L, 1L, 2L), delivered.stream().map(TelemetryBatch::seq).toList());
    sender.receipt(List.of(2L));
    clock.advance(Duration.ofSeconds(TelemetrySender.RESEND_AFTER_SECONDS));
    sender.drain();
    assertEquals(List.of(1L, 2L, 1L, 2L, 1L), delivered.stream().map(TelemetryBatch::seq).toList());
    assertEquals(3, delivered.get(4).models().get(0).requests(), "the same batch, unchanged");
  }

  private long batchFiles() throws IOException {
    try (Stream<Path> files = Files.list(dir.resolve("telemetry"))) {
      return files.filter(f -> f.getFileName().toString().matches("\\d{19}\\.json")).count();
    }
  }
}
