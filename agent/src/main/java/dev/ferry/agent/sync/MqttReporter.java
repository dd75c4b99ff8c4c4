package dev.ferry.agent.sync;

import dev.ferry.protocol.device.Channel;
import dev.ferry.protocol.device.DeviceEvent;
import dev.ferry.protocol.device.ReportedState;
import dev.ferry.protocol.json.JsonCodec;
import java.util.ArrayDeque;
import java.util.Deque;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.jboss.logging.Logger;

/**
 * Reports over MQTT with store and forward: events wait in a bounded queue while the link is down
 * (the oldest dropped, and counted, when it is full) and go out in order on the next connect, after
 * the current reported state.
 */
final class MqttReporter implements Reporter {
  private static final Logger LOG = Logger.getLogger(MqttReporter.class);

  private final AgentMqtt mqtt;
  private final int capacity;
  private final JsonCodec codec = new JsonCodec();
  private final Deque<byte[]> events = new ArrayDeque<>();
  private byte[] reported;
  private boolean reportedSent;
  private long dropped;

  /**
   * @param mqtt the link
   * @param capacity how many undelivered events are kept
   */
  MqttReporter(AgentMqtt mqtt, int capacity) {
    this.mqtt = mqtt;
    this.capacity = capacity;
  }

  @Override
  public synchronized void event(DeviceEvent event) {
    if (events.size() == capacity) {
      events.removeFirst();
      dropped++;
      LOG.warnf("event queue full while offline; %d events dropped so far", dropped);
    }
    events.addLast(codec.encode(event));
    flush();
  }

  @Override
  public synchronized void reported(ReportedState state) {
    reported = codec.encode(state);
    reportedSent = false;
    flush();
  }

  /** Sends what waits, in order, while the link is up; called again on every connect. */
  synchronized void flush() {
    if (!mqtt.connected()) {
      return;
    }
    try {
      if (reported != null && !reportedSent) {
        mqtt.publish(Channel.REPORTED, reported);
        reportedSent = true;
      }
      while (!events.isEmpty()) {
        mqtt.publish(Channel.EVENTS, events.peekFirst());
        events.removeFirst();
      }
    } catch (MqttException e) {
      LOG.debugf("cannot publish now, kept for the next connect: %s", e.getMessage());
    }
  }

  /** Sends the reported state again, then the waiting events: for every (re)connect. */
  synchronized void reconnected() {
    reportedSent = false;
    flush();
  }
}
