package dev.ferry.hub.telemetry;

import dev.ferry.hub.config.HubConfig;
import dev.ferry.hub.db.Database;
import dev.ferry.hub.db.PeriodicJob;
import dev.ferry.hub.fleet.DeviceGate;
import dev.ferry.hub.fleet.DeviceMismatchException;
import dev.ferry.hub.fleet.IngestSession;
import dev.ferry.hub.fleet.IngestWriter;
import dev.ferry.hub.fleet.Receipts;
import dev.ferry.protocol.device.Channel;
import dev.ferry.protocol.device.TelemetryBatch;
import dev.ferry.protocol.device.Topic;
import dev.ferry.protocol.json.JsonCodec;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.jboss.logging.Logger;

/**
 * Ingests telemetry batches from the {@link IngestSession}: decoded on arrival, then an {@link
 * IngestWriter} that counts up to {@value #BATCH} messages per transaction (gathered for up to
 * {@value #LINGER_MILLIS} ms) and acknowledges them to the broker only after the commit, then sends
 * each device a {@link dev.ferry.protocol.device.Receipt} for its batches. A batch seen before is
 * counted once; a malformed or oversize message, or one the database refuses for its content, is
 * counted and dead-lettered (a warning naming the device and the reason); a database outage is
 * waited out; ingestion never stops.
 */
@ApplicationScoped
public class TelemetryIngest {
  private static final Logger LOG = Logger.getLogger(TelemetryIngest.class);
  static final int BATCH = 1000;
  private static final long LINGER_MILLIS = 50;

  @Inject Clock clock;
  @Inject HubConfig config;
  @Inject IngestSession session;
  @Inject Database db;
  @Inject TelemetryStore store;
  @Inject MeterRegistry registry;
  @Inject DeviceGate gate;
  @Inject Receipts receipts;

  private record Received(TelemetryBatch batch, IngestSession.Ack ack) {}

  private final JsonCodec codec = new JsonCodec();
  private final IngestWriter<Received> writer =
      new IngestWriter<>(
          "telemetry", BATCH, Duration.ofMillis(LINGER_MILLIS), this::store, this::deadLetter);
  private final AtomicLong received = new AtomicLong();
  private final AtomicLong counted = new AtomicLong();
  private final AtomicLong duplicates = new AtomicLong();
  private final AtomicLong malformed = new AtomicLong();
  private final AtomicLong deadLettered = new AtomicLong();
  private final PeriodicJob purger =
      new PeriodicJob("telemetry purge", Duration.ofSeconds(1), Duration.ofHours(1), this::purge);

  void start(@Observes @Priority(3100) StartupEvent event) {
    registry.gauge("ferry.ingest.telemetry.received", received);
    registry.gauge("ferry.ingest.telemetry.counted", counted);
    registry.gauge("ferry.ingest.telemetry.duplicates", duplicates);
    registry.gauge("ferry.ingest.telemetry.malformed", malformed);
    registry.gauge("ferry.ingest.telemetry.dead_lettered", deadLettered);
    registry.gauge("ferry.ingest.telemetry.backlog", writer, IngestWriter::backlog);
    writer.start();
    session.on(Channel.TELEMETRY, this::arrived);
    purger.start();
  }

  void stop(@Observes @Priority(2) ShutdownEvent event) {
    writer.stop();
    purger.stop();
  }

  /** Decoded on the receiving thread, so that the writer only writes. */
  private void arrived(Topic topic, byte[] payload, IngestSession.Ack ack)
      throws InterruptedException {
    received.incrementAndGet();
    TelemetryBatch batch;
    try {
      batch = codec.decode(payload, TelemetryBatch.class);
      gate.requireSameDevice(topic, batch.deviceId());
    } catch (DeviceMismatchException e) {
      LOG.debugf("refused a telemetry message on %s: %s", topic, e.getMessage());
      ack.done();
      return;
    } catch (RuntimeException e) {
      malformed.incrementAndGet();
      LOG.warnf(
          "dead-lettered a telemetry message of device %s: %s", topic.deviceId(), e.getMessage());
      ack.done();
      return;
    }
    writer.put(new Received(batch, ack));
  }

  /** Batches counted so far (new ones). */
  public long counted() {
    return counted.get();
  }

  /** Repeats dropped so far. */
  public long duplicates() {
    return duplicates.get();
  }

  /** Malformed messages dropped so far. */
  public long malformed() {
    return malformed.get();
  }

  /** Well-formed batches dropped so far because the database refused their content. */
  public long deadLettered() {
    return deadLettered.get();
  }

  /** Nothing is acknowledged before the commit, so a database outage loses nothing. */
  private void store(List<Received> taken) {
    List<TelemetryBatch> batches = taken.stream().map(Received::batch).toList();
    int fresh = db.transaction(c -> store.count(c, batches, clock.instant()));
    counted.addAndGet(fresh);
    duplicates.addAndGet(batches.size() - fresh);
    taken.forEach(message -> message.ack().done());
    receipts.telemetry(batches);
  }

  private void deadLetter(Received message, RuntimeException cause) {
    deadLettered.incrementAndGet();
    TelemetryBatch batch = message.batch();
    LOG.warnf(
        "dead-lettered telemetry batch %d of device %s: %s",
        batch.seq(), batch.deviceId(), cause.getMessage());
    message.ack().done();
    receipts.telemetry(List.of(batch));
  }

  /** One run; a failure (the database away) is the {@link PeriodicJob}'s to log. */
  private void purge() {
    Instant before = clock.instant().minus(config.telemetry().retention());
    int deleted = db.transaction(c -> store.purge(c, before));
    LOG.debugf("purged %d telemetry rows older than %s", deleted, before);
  }
}
