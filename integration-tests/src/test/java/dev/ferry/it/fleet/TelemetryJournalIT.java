package dev.ferry.it.fleet;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.it.identity.SecureMosquitto;
import dev.ferry.protocol.device.Receipt;
import dev.ferry.protocol.device.TelemetryBatch;
import dev.ferry.protocol.json.JsonCodec;
import dev.ferry.protocol.testing.CuttingProxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An agent whose broker is away long enough to fill its telemetry journal: its disk use stays under
 * the bound, and once back the batches that went out say how many were dropped, with sequence
 * numbers that account for every batch.
 */
class TelemetryJournalIT {
  private static final long BOUND = 6_000;
  private static final JsonCodec CODEC = new JsonCodec();

  @TempDir Path dir;

  @Test
  void aFullJournal_staysUnderItsBoundAndReportsWhatItDropped() throws Exception {
    SecureMosquitto mosquitto = SecureMosquitto.start(dir.resolve("mosquitto"));
    String device = "edge-journal-" + System.nanoTime();
    List<TelemetryBatch> received = new CopyOnWriteArrayList<>();
    MqttClient hub =
        new MqttClient(
            mosquitto.hubUrl(), "journal-it-" + System.nanoTime(), new MemoryPersistence());
    hub.connect(mosquitto.hubIdentity().options());
    hub.subscribe(
        "ferry/v1/devices/" + device + "/telemetry",
        1,
        (topic, message) -> {
          TelemetryBatch batch = CODEC.decode(message.getPayload(), TelemetryBatch.class);
          received.add(batch);
          // as the hub does once it has stored a batch: the agent's journal lets it go
          MqttMessage receipt =
              new MqttMessage(CODEC.encode(Receipt.ofTelemetry(device, List.of(batch.seq()))));
          receipt.setQos(0);
          hub.getTopic("ferry/v1/devices/" + device + "/receipts").publish(receipt);
        });
    Path data = dir.resolve("agent");
    mosquitto.provision(data, device);
    try (CuttingProxy broker = new CuttingProxy(mosquitto.devicePort, Long.MAX_VALUE, false)) {
      broker.down(true);
      Map<String, String> env =
          Map.of(
              "FERRY_AGENT_DEVICE_ID",
              device,
              "FERRY_AGENT_SYNC_ENABLED",
              "true",
              "FERRY_AGENT_TRUST_ROOT",
              Files.write(
                      dir.resolve("root.json"),
                      new dev.ferry.protocol.testing.TestHub().signedRoot())
                  .toString(),
              "FERRY_AGENT_DATA_DIR",
              data.toString(),
              "FERRY_AGENT_MQTT_URL",
              "ssl://" + broker.address(),
              "FERRY_AGENT_TELEMETRY_INTERVAL",
              "100ms",
              "FERRY_AGENT_TELEMETRY_JOURNAL_MAX_BYTES",
              String.valueOf(BOUND));
      try (JarProcess agent = JarProcess.start("agent", env, dir.resolve("agent.log"))) {
        long most = 0;
        for (int i = 0; i < 40; i++) {
          Thread.sleep(100);
          most = Math.max(most, journalBytes(data.resolve("telemetry")));
        }
        assertTrue(most <= BOUND, "journal took " + most + " bytes, bound " + BOUND);
        assertTrue(most > BOUND / 2, "journal never filled: " + most);
        broker.down(false);
        java.time.Instant back = java.time.Instant.now();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (System.nanoTime() < deadline
            && received.stream().noneMatch(b -> b.droppedBatches() > 0)) {
          Thread.sleep(100);
        }
        // the journal has drained once a batch made after the reconnect arrives
        while (System.nanoTime() < deadline
            && received.stream().noneMatch(b -> b.from().isAfter(back.plusMillis(500)))) {
          Thread.sleep(100);
        }
        assertTrue(agent.alive());
      }
    } finally {
      hub.disconnect();
      hub.close();
      mosquitto.close();
    }
    // the newest batch was made after the journal drained: it counts every drop before it
    TelemetryBatch last =
        received.stream()
            .max(java.util.Comparator.comparingLong(TelemetryBatch::seq))
            .orElseThrow(() -> new AssertionError("nothing received"));
    assertTrue(last.droppedBatches() > 0, "no drops reported: " + last);
    long delivered = received.stream().map(TelemetryBatch::seq).distinct().count();
    // a batch sent but evicted before its receipt came is both delivered and counted as dropped:
    // the count may over-report by those, never under-report a loss
    assertTrue(
        delivered + last.droppedBatches() >= last.seq() && delivered <= last.seq(),
        "every batch up to "
            + last.seq()
            + " was sent or counted as dropped: "
            + delivered
            + " delivered, "
            + last.droppedBatches()
            + " dropped");
  }

  private static long journalBytes(Path journal) throws Exception {
    if (!Files.isDirectory(journal)) {
      return 0;
    }
    try (Stream<Path> files = Files.list(journal)) {
      long total = 0;
      for (Path file :
          files.filter(f -> f.getFileName().toString().matches("\\d{19}\\.json")).toList()) {
        try {
          total += Files.size(file);
        } catch (java.nio.file.NoSuchFileException gone) {
          // dropped while we looked
        }
      }
      return total;
    }
  }
}
