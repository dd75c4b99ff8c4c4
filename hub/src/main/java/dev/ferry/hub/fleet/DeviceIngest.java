package dev.ferry.hub.fleet;

import dev.ferry.hub.db.Database;
import dev.ferry.hub.db.DatabaseException;
import dev.ferry.hub.rollout.PrefetchReports;
import dev.ferry.protocol.device.Channel;
import dev.ferry.protocol.device.DeviceEvent;
import dev.ferry.protocol.device.Topic;
import dev.ferry.protocol.json.JsonCodec;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Clock;
import java.util.concurrent.atomic.AtomicLong;
import org.jboss.logging.Logger;

/**
 * Keeps devices' {@code events}, through the {@link IngestSession} (their {@code reported} and
 * {@code online} messages go to {@link StateIngest}). A malformed message is counted and dropped,
 * one naming another device than its topic is refused ({@link DeviceGate}); neither stops
 * ingestion. An event is acknowledged once stored, and receipted to its device ({@link Receipts});
 * a database failure leaves it to the broker and the device to send again.
 */
@ApplicationScoped
public class DeviceIngest {
  private static final Logger LOG = Logger.getLogger(DeviceIngest.class);

  private final JsonCodec codec = new JsonCodec();
  private final AtomicLong dropped = new AtomicLong();

  @Inject Clock clock;
  @Inject IngestSession session;
  @Inject EventLog events;
  @Inject PrefetchReports prefetches;
  @Inject Database db;
  @Inject DeviceGate gate;
  @Inject Receipts receipts;

  void start(@Observes @Priority(3000) StartupEvent event) {
    session.on(Channel.EVENTS, (topic, payload, ack) -> safely(topic, payload, ack, this::event));
  }

  /** Messages dropped because they were malformed. */
  public long dropped() {
    return dropped.get();
  }

  private interface Handler {
    void handle(Topic topic, byte[] payload);
  }

  private void safely(Topic topic, byte[] payload, IngestSession.Ack ack, Handler handler) {
    try {
      handler.handle(topic, payload);
      ack.done();
    } catch (DeviceMismatchException e) {
      LOG.debugf("refused a message on %s: %s", topic, e.getMessage());
      ack.done();
    } catch (IllegalArgumentException e) {
      dropped.incrementAndGet();
      LOG.warnf("dropped a message on %s: %s", topic, e.getMessage());
      ack.done();
    } catch (DatabaseException e) {
      LOG.warnf("not stored, the broker sends it again: %s", e.getMessage());
    } catch (RuntimeException e) {
      dropped.incrementAndGet();
      LOG.errorf(e, "failed to ingest a message on %s", topic);
      ack.done();
    }
  }

  private void event(Topic topic, byte[] payload) {
    DeviceEvent event = codec.decode(payload, DeviceEvent.class);
    gate.requireSameDevice(topic, event.deviceId());
    db.transaction(c -> events.record(c, event, clock.instant()) ? prefetches.record(c, event) : 0);
    receipts.event(event);
  }
}
