package dev.ferry.agent.sync;

import dev.ferry.protocol.device.Channel;
import dev.ferry.protocol.device.DeviceEvent;
import dev.ferry.protocol.device.ReportedState;
import dev.ferry.protocol.json.JsonCodec;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.jboss.logging.Logger;

/**
 * Reports over MQTT with store and forward: an event waits in a bounded queue (the oldest dropped,
 * and counted, when it is full) until the hub's receipt names it, since the broker's
 * acknowledgement does not say the hub got it (a broker drops what no subscription matches). Events
 * go out in order after the current reported state, again on every connect and {@value
 * #RESEND_AFTER_SECONDS} s after their last send while no receipt came; the hub stores each event
 * id once. The reported state is retained, so the broker keeps it for the hub.
 */
final class MqttReporter implements Reporter {
  private static final Logger LOG = Logger.getLogger(MqttReporter.class);
  static final long RESEND_AFTER_SECONDS = 30;

  /** Where reports go: the agent's MQTT link in production. */
  interface Link {
    /** Whether the link is up. */
    boolean up();

    /** Publishes on one of the device's channels; returns once the broker has it. */
    void publish(Channel channel, byte[] payload) throws MqttException;
  }

  private final Link link;
  private final int capacity;
  private final Clock clock;
  private final JsonCodec codec = new JsonCodec();
  private final LinkedHashMap<String, byte[]> events = new LinkedHashMap<>();
  private final Map<String, Instant> lastSent = new HashMap<>();
  private final Queue<String> receipted = new ConcurrentLinkedQueue<>();
  private byte[] reported;
  private boolean reportedSent;
  private long dropped;

  /**
   * @param link the link
   * @param capacity how many events not yet receipted are kept
   * @param clock for the resend delay
   */
  MqttReporter(Link link, int capacity, Clock clock) {
    this.link = link;
    this.capacity = capacity;
    this.clock = clock;
  }

  /** Reports over the agent's MQTT link. */
  static MqttReporter over(AgentMqtt mqtt, int capacity) {
    Link link =
        new Link() {
          @Override
          public boolean up() {
            return mqtt.connected();
          }

          @Override
          public void publish(Channel channel, byte[] payload) throws MqttException {
            mqtt.publish(channel, payload);
          }
        };
    return new MqttReporter(link, capacity, Clock.systemUTC());
  }

  @Override
  public synchronized void event(DeviceEvent event) {
    applyReceipts();
    if (events.size() == capacity) {
      String oldest = events.keySet().iterator().next();
      events.remove(oldest);
      lastSent.remove(oldest);
      dropped++;
      LOG.warnf("event queue full while offline; %d events dropped so far", dropped);
    }
    events.put(event.id(), codec.encode(event));
    flush();
  }

  @Override
  public synchronized void reported(ReportedState state) {
    reported = codec.encode(state);
    reportedSent = false;
    flush();
  }

  /**
   * Takes the event ids a receipt of the hub names; they leave the queue at the next flush. It
   * never waits: the reporter's lock is held while a publish waits for the broker.
   *
   * @param ids the events the hub has stored
   */
  void receipt(List<String> ids) {
    receipted.addAll(ids);
  }

  /**
   * Sends what is due, in order, while the link is up; called on every connect and periodically.
   */
  synchronized void flush() {
    applyReceipts();
    if (!link.up()) {
      return;
    }
    try {
      if (reported != null && !reportedSent) {
        link.publish(Channel.REPORTED, reported);
        reportedSent = true;
      }
      for (Map.Entry<String, byte[]> event : events.entrySet()) {
        if (due(event.getKey())) {
          link.publish(Channel.EVENTS, event.getValue());
          lastSent.put(event.getKey(), clock.instant());
        }
      }
    } catch (MqttException e) {
      LOG.debugf("cannot publish now, kept for the next connect: %s", e.getMessage());
    }
  }

  /** Sends the reported state again, then every event not receipted: for every (re)connect. */
  synchronized void reconnected() {
    reportedSent = false;
    lastSent.clear();
    flush();
  }

  /** Events not yet receipted. */
  synchronized int waiting() {
    applyReceipts();
    return events.size();
  }

  private boolean due(String id) {
    Instant last = lastSent.get(id);
    return last == null || !clock.instant().isBefore(last.plusSeconds(RESEND_AFTER_SECONDS));
  }

  private void applyReceipts() {
    for (String id = receipted.poll(); id != null; id = receipted.poll()) {
      events.remove(id);
      lastSent.remove(id);
    }
  }
}
