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
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.stream.IntStream;
import org.jboss.logging.Logger;

/**
 * Every interval: the counts served since the last batch, with the device's metrics, journaled as
 * the next {@code ferry.telemetry/v1} batch, then every waiting batch sent in order while the link
 * is up. A batch leaves the journal only once the hub's receipt ({@code ferry.receipt/v1}) names
 * it: the broker's acknowledgement is not enough, since a broker drops what no subscription matches
 * (Mosquitto 2.0 forgets the hub's shared subscription when it restarts). A batch not receipted is
 * sent again on every connect and {@value #RESEND_AFTER_SECONDS} s after it was last sent, so a
 * crash or an outage of the broker or the hub sends it again later, never loses it; the hub drops
 * repeats by (device, seq).
 */
public final class TelemetrySender {
  private static final Logger LOG = Logger.getLogger(TelemetrySender.class);
  static final long RESEND_AFTER_SECONDS = 30;

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
  private final Map<Long, Instant> lastSent = new HashMap<>();
  private final Queue<Long> receipted = new ConcurrentLinkedQueue<>();
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
   * @param providers the execution providers usable here
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
    applyReceipts();
    try {
      journalNext();
    } catch (IOException | RuntimeException e) {
      LOG.warnf("cannot journal a telemetry batch: %s", e.getMessage());
    }
    drain();
  }

  private void journalNext() throws IOException {
    Instant to = clock.instant();
    Map<String, ModelTelemetry> now = new LinkedHashMap<>();
    for (ModelTelemetry cumulative : meters.cumulative()) {
      now.put(key(cumulative), cumulative);
    }
    List<ModelTelemetry> deltas = deltas(now);
    long seq = journal.nextSeq();
    DeviceMetrics metrics = device.sample();
    // room first, so that the batch counts every batch dropped to make room for it
    journal.makeRoom(batch(seq, to, deltas, metrics).length + 32);
    journal.append(seq, batch(seq, to, deltas, metrics));
    sent.putAll(now);
    from = to;
  }

  /** Which version and variant of which model the counts are of. */
  private static String key(ModelTelemetry counts) {
    return counts.name() + "@" + counts.version() + "#" + counts.variant();
  }

  /** What each model served since the last batch, for those that served. */
  private List<ModelTelemetry> deltas(Map<String, ModelTelemetry> now) {
    List<ModelTelemetry> deltas = new ArrayList<>();
    now.forEach(
        (key, cumulative) -> {
          ModelTelemetry delta = minus(cumulative, sent.get(key));
          if (delta.requests() > 0) {
            deltas.add(delta);
          }
        });
    return deltas;
  }

  private byte[] batch(long seq, Instant to, List<ModelTelemetry> deltas, DeviceMetrics metrics) {
    return codec.encode(
        new TelemetryBatch(deviceId, seq, from, to, journal.dropped(), deltas, metrics));
  }

  private static ModelTelemetry minus(ModelTelemetry now, ModelTelemetry before) {
    if (before == null) {
      return now;
    }
    return new ModelTelemetry(
        now.name(),
        now.version(),
        now.executionProvider(),
        now.requests() - before.requests(),
        errorsSince(now, before),
        new dev.ferry.protocol.device.LatencyHistogram(
            now.latency().boundsMillis(), countsSince(now, before)),
        now.variant());
  }

  private static Map<String, Long> errorsSince(ModelTelemetry now, ModelTelemetry before) {
    Map<String, Long> errors = new TreeMap<>();
    now.errors()
        .forEach(
            (reason, count) -> {
              long delta = count - before.errors().getOrDefault(reason, 0L);
              if (delta > 0) {
                errors.put(reason, delta);
              }
            });
    return errors;
  }

  private static List<Long> countsSince(ModelTelemetry now, ModelTelemetry before) {
    List<Long> was = before.latency().counts();
    return IntStream.range(0, now.latency().counts().size())
        .mapToObj(i -> now.latency().counts().get(i) - was.get(i))
        .toList();
  }

  /**
   * Sends every waiting batch that is due (not sent since the last connect, or not receipted within
   * {@value #RESEND_AFTER_SECONDS} s), oldest first, while the link is up.
   */
  public synchronized void drain() {
    applyReceipts();
    List<Long> waiting = journal.waiting();
    lastSent.keySet().retainAll(new HashSet<>(waiting));
    try {
      for (long seq : waiting) {
        if (!link.up()) {
          return;
        }
        if (due(seq)) {
          send(seq);
        }
      }
    } catch (Exception e) {
      LOG.debugf("telemetry kept for later: %s", e.getMessage());
    }
  }

  private boolean due(long seq) {
    Instant last = lastSent.get(seq);
    return last == null || !clock.instant().isBefore(last.plusSeconds(RESEND_AFTER_SECONDS));
  }

  private void send(long seq) throws Exception {
    Optional<byte[]> payload = journal.read(seq);
    if (payload.isPresent()) {
      link.send(payload.get());
      lastSent.put(seq, clock.instant());
    }
  }

  /** Sends every batch not yet receipted again: for every (re)connect. */
  public synchronized void reconnected() {
    lastSent.clear();
    drain();
  }

  /**
   * Takes the sequence numbers a receipt of the hub names; those batches leave the journal at the
   * next {@link #tick()} or {@link #drain()}. It never waits: the sender's lock is held while a
   * send waits for the broker, whose acknowledgement may queue behind this call on Paho's thread.
   *
   * @param seqs the batches the hub has stored
   */
  public void receipt(List<Long> seqs) {
    receipted.addAll(seqs);
  }

  /** Lets go of the batches receipted. */
  private void applyReceipts() {
    for (Long seq = receipted.poll(); seq != null; seq = receipted.poll()) {
      try {
        journal.remove(seq);
        lastSent.remove(seq);
      } catch (IOException e) {
        LOG.warnf("cannot remove telemetry batch %d from the journal: %s", seq, e.getMessage());
      }
    }
  }
}
