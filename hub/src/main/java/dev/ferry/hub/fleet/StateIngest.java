package dev.ferry.hub.fleet;

import dev.ferry.hub.db.Database;
import dev.ferry.protocol.device.Channel;
import dev.ferry.protocol.device.Presence;
import dev.ferry.protocol.device.ReportedState;
import dev.ferry.protocol.device.Topic;
import dev.ferry.protocol.json.JsonCodec;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import org.jboss.logging.Logger;

/**
 * Learns devices from their {@code reported} and {@code online} messages: decoded and checked on
 * arrival ({@link DeviceGate}), then stored up to {@value #BATCH} to a transaction by an {@link
 * IngestWriter}, each acknowledged to the broker once its transaction commits. A fleet reconnecting
 * sends one of each per device at once, and a rollout's wave a report per device within seconds: a
 * transaction each would make the database the limit. Within a batch a device's messages are
 * applied in the order they came (the later's fields win), and the devices in the order of their
 * ids. A malformed message, or one the database refuses for its content, is counted, logged with
 * its device and dropped; one naming another device than its topic is refused; neither stops
 * ingestion, and a database outage is waited out.
 */
@ApplicationScoped
public class StateIngest {
  private static final Logger LOG = Logger.getLogger(StateIngest.class);
  static final int BATCH = 500;
  private static final Duration LINGER = Duration.ofMillis(20);

  @Inject Clock clock;
  @Inject IngestSession session;
  @Inject Devices devices;
  @Inject Database db;
  @Inject DeviceGate gate;
  @Inject MeterRegistry registry;

  private record Received(DeviceUpdate update, IngestSession.Ack ack) {}

  private final JsonCodec codec = new JsonCodec();
  private final AtomicLong dropped = new AtomicLong();
  private final IngestWriter<Received> writer =
      new IngestWriter<>("device state", BATCH, LINGER, this::store, this::deadLetter);

  void start(@Observes @Priority(3000) StartupEvent event) {
    registry.gauge("ferry.ingest.state.backlog", writer, IngestWriter::backlog);
    registry.gauge("ferry.ingest.state.dropped", dropped);
    writer.start();
    session.on(Channel.REPORTED, (topic, payload, ack) -> arrived(topic, payload, ack, true));
    session.on(Channel.ONLINE, (topic, payload, ack) -> arrived(topic, payload, ack, false));
  }

  void stop(@Observes @Priority(2) ShutdownEvent event) {
    writer.stop();
  }

  /** Messages dropped because they were malformed or the database refused their content. */
  public long dropped() {
    return dropped.get();
  }

  private void arrived(Topic topic, byte[] payload, IngestSession.Ack ack, boolean reported)
      throws InterruptedException {
    if (payload.length == 0) {
      ack.done(); // a cleared retained message
      return;
    }
    DeviceUpdate update;
    try {
      update = reported ? reported(topic, payload) : presence(topic, payload);
    } catch (DeviceMismatchException e) {
      LOG.debugf("refused a message on %s: %s", topic, e.getMessage());
      ack.done();
      return;
    } catch (RuntimeException e) {
      dropped.incrementAndGet();
      LOG.warnf("dropped a message on %s: %s", topic, e.getMessage());
      ack.done();
      return;
    }
    writer.put(new Received(update, ack));
  }

  private DeviceUpdate reported(Topic topic, byte[] payload) {
    ReportedState state = codec.decode(payload, ReportedState.class);
    gate.requireSameDevice(topic, state.deviceId());
    return DeviceUpdate.reported(
        state.deviceId(), state.labels(), new String(payload, StandardCharsets.UTF_8));
  }

  private DeviceUpdate presence(Topic topic, byte[] payload) {
    Presence presence = codec.decode(payload, Presence.class);
    gate.requireSameDevice(topic, presence.deviceId());
    return DeviceUpdate.presence(presence.deviceId(), presence.online());
  }

  /** Nothing is acknowledged before the commit, so a database outage loses nothing. */
  private void store(List<Received> taken) {
    List<DeviceUpdate> updates = merged(taken.stream().map(Received::update).toList());
    db.transaction(
        c -> {
          devices.upsertAll(c, updates, clock.instant());
          return null;
        });
    taken.forEach(message -> message.ack().done());
  }

  /** One update per device, its messages applied in order; by device id. */
  static List<DeviceUpdate> merged(List<DeviceUpdate> updates) {
    Map<String, DeviceUpdate> byDevice = new TreeMap<>();
    for (DeviceUpdate update : updates) {
      byDevice.merge(update.id(), update, DeviceUpdate::then);
    }
    return new ArrayList<>(byDevice.values());
  }

  private void deadLetter(Received message, RuntimeException cause) {
    dropped.incrementAndGet();
    LOG.warnf("dropped a message of device %s: %s", message.update().id(), cause.getMessage());
    message.ack().done();
  }
}
