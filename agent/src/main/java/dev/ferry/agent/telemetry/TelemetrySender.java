package dev.ferry.agent.telemetry;

import dev.ferry.protocol.device.DeviceMetrics;
import dev.ferry.protocol.device.ModelTelemetry;
import dev.ferry.protocol.device.TelemetryBatch;
import dev.ferry.protocol.json.JsonCodec;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.jboss.logging.Logger;

/**
 * Every interval: the counts served since the last batch, with the device's metrics, journaled as
 * the next {@code ferry.telemetry/v1} batch, then every waiting batch sent in order while the link
 * is up. A batch leaves the journal only once the broker acknowledged it, so a crash or an outage
 * sends it again later, never loses it; the hub drops repeats by (device, seq).
 */
public final class TelemetrySender {
  private static final Logger LOG = Logger.getLogger(TelemetrySender.class);

  /** Where batches go: the MQTT link in production. */
  public interface Link {
    /** Whether the link is up. */
    boolean up();

    /**
     * Sends a batch and returns once the broker has it.
     *
     * @param payload the encoded batch
     * @throws Exception if it was not delivered
     */
    void send(byte[] payload) throws Exception;
  }

  private final String deviceId;
  private final ServingMeters meters;
  private final DeviceSampler device;
  private final TelemetryJournal journal;
  private final Link link;
  private final Clock clock;
  private final JsonCodec codec = new JsonCodec();
  private final Map<String, ModelTelemetry> sent = new HashMap<>();
  private Instant from;

  TelemetrySender(
      String deviceId,
      ServingMeters meters,
      DeviceSampler device,
      TelemetryJournal journal,
      Link link,
      Clock clock) {
    this.deviceId = deviceId;
    this.meters = meters;
    this.device = device;
    this.journal = journal;
    this.link = link;
    this.clock = clock;
    this.from = clock.instant();
  }

  /**
   * Creates the sender of an agent.
   *
   * @param deviceId the device
   * @param meters the serving counts
   * @param dataDir the agent's data directory; the journal lives in {@code telemetry/}
   * @param providers the execution providers ONNX Runtime offers
   * @param journalMaxBytes the journal's bound
   * @param link where batches go
   * @return the sender
   */
  public static TelemetrySender of(
      String deviceId,
      ServingMeters meters,
      java.nio.file.Path dataDir,
      java.util.Set<String> providers,
      long journalMaxBytes,
      Link link) {
    return new TelemetrySender(
        deviceId,
        meters,
        new DeviceSampler(dataDir, providers),
        new TelemetryJournal(dataDir.resolve("telemetry"), journalMaxBytes),
        link,
        Clock.systemUTC());
  }

  /** Journals the next batch and sends what waits; called every interval and at shutdown. */
  public synchronized void tick() {
    try {
      journalNext();
    } catch (IOException | RuntimeException e) {
      LOG.warnf("cannot journal a telemetry batch: %s", e.getMessage());
    }
    drain();
  }

  private void journalNext() throws IOException {
    Instant to = clock.instant();
    List<ModelTelemetry> deltas = new ArrayList<>();
    Map<String, ModelTelemetry> now = new HashMap<>();
    for (ModelTelemetry cumulative : meters.cumulative()) {
      String key = cumulative.name() + "@" + cumulative.version();
      now.put(key, cumulative);
      ModelTelemetry delta = minus(cumulative, sent.get(key));
      if (delta.requests() > 0) {
        deltas.add(delta);
      }
    }
    long seq = journal.nextSeq();
    DeviceMetrics metrics = device.sample();
    byte[] payload =
        codec.encode(
            new TelemetryBatch(deviceId, seq, from, to, journal.dropped(), deltas, metrics));
    // room first, so that the batch counts every batch dropped to make room for it
    journal.makeRoom(payload.length + 32);
    payload =
        codec.encode(
            new TelemetryBatch(deviceId, seq, from, to, journal.dropped(), deltas, metrics));
    journal.append(seq, payload);
    sent.putAll(now);
    from = to;
  }

  private static ModelTelemetry minus(ModelTelemetry now, ModelTelemetry before) {
    if (before == null) {
      return now;
    }
    Map<String, Long> errors = new TreeMap<>();
    now.errors()
        .forEach(
            (reason, count) -> {
              long delta = count - before.errors().getOrDefault(reason, 0L);
              if (delta > 0) {
                errors.put(reason, delta);
              }
            });
    List<Long> counts = new ArrayList<>();
    for (int i = 0; i < now.latency().counts().size(); i++) {
      counts.add(now.latency().counts().get(i) - before.latency().counts().get(i));
    }
    return new ModelTelemetry(
        now.name(),
        now.version(),
        now.executionProvider(),
        now.requests() - before.requests(),
        errors,
        new dev.ferry.protocol.device.LatencyHistogram(now.latency().boundsMillis(), counts));
  }

  /** Sends every waiting batch, oldest first, while the link is up; called on every connect. */
  public synchronized void drain() {
    try {
      Optional<TelemetryJournal.Waiting> next;
      while (link.up() && (next = journal.oldest()).isPresent()) {
        link.send(next.get().payload());
        journal.remove(next.get().seq());
      }
    } catch (Exception e) {
      LOG.debugf("telemetry kept for later: %s", e.getMessage());
    }
  }
}
