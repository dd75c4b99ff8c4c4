package dev.ferry.it.fleet;

import static org.junit.jupiter.api.Assertions.assertNotNull;

import dev.ferry.it.identity.DeviceIdentity;
import dev.ferry.protocol.device.DeviceEvent;
import dev.ferry.protocol.device.EventType;
import dev.ferry.protocol.device.Receipt;
import dev.ferry.protocol.device.ReportedState;
import dev.ferry.protocol.json.JsonCodec;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.eclipse.paho.client.mqttv3.IMqttMessageListener;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

/**
 * One device's topics on the broker, seen from outside: reads its desired state, events and
 * reported state, and publishes desired states as the hub (retained) or injects them as an attacker
 * (not retained).
 */
public final class Wire implements AutoCloseable {
  private final String prefix;
  private final MqttClient client;
  private final BlockingQueue<byte[]> desired = new LinkedBlockingQueue<>();
  private final List<DeviceEvent> events = new ArrayList<>();
  private final JsonCodec codec = new JsonCodec();
  private volatile ReportedState reported;
  private int rejectionCursor;

  /**
   * @param mqttUrl the broker, {@code ssl://host:port}
   * @param deviceId the device
   * @param as who connects: the hub's identity on the broker (it may read and write every device's
   *     topics)
   */
  public Wire(String mqttUrl, String deviceId, DeviceIdentity as) throws Exception {
    prefix = "ferry/v1/devices/" + deviceId + "/";
    client = new MqttClient(mqttUrl, "wire-" + System.nanoTime(), new MemoryPersistence());
    client.connect(as.options());
    client.subscribe(
        new String[] {prefix + "desired", prefix + "events", prefix + "reported"},
        new int[] {1, 1, 1},
        new IMqttMessageListener[] {
          (topic, message) -> desired.add(message.getPayload()),
          (topic, message) -> {
            DeviceEvent event = codec.decode(message.getPayload(), DeviceEvent.class);
            synchronized (events) {
              events.add(event);
              events.notifyAll();
            }
            receipt(event);
          },
          (topic, message) -> reported = codec.decode(message.getPayload(), ReportedState.class)
        });
  }

  /**
   * Receipts an event as the hub does once it has stored it, so that the agent lets it go and does
   * not send it again.
   */
  private void receipt(DeviceEvent event) throws MqttException {
    MqttMessage receipt =
        new MqttMessage(codec.encode(Receipt.ofEvent(event.deviceId(), event.id())));
    receipt.setQos(0);
    client.getTopic(prefix + "receipts").publish(receipt);
  }

  /** The desired state the broker keeps for the device. */
  public byte[] retainedDesired() throws InterruptedException {
    byte[] payload = desired.poll(10, TimeUnit.SECONDS);
    assertNotNull(payload, "no retained desired state");
    return payload;
  }

  /** Publishes a desired state as the hub does: retained. */
  public void publish(byte[] payload) throws Exception {
    client.publish(prefix + "desired", payload, 1, true);
  }

  /** Clears the desired state the broker keeps for the device (an empty retained message). */
  public void clearRetained() throws Exception {
    client.publish(prefix + "desired", new byte[0], 1, true);
  }

  /** Injects a desired state as an attacker on the broker would: not retained. */
  public void inject(byte[] payload) throws Exception {
    client.publish(prefix + "desired", payload, 1, false);
  }

  /** How many events have arrived; a mark for {@link #await}. */
  public int mark() {
    synchronized (events) {
      return events.size();
    }
  }

  /** The events that arrived from a mark on. */
  public List<DeviceEvent> since(int mark) {
    synchronized (events) {
      return List.copyOf(events.subList(mark, events.size()));
    }
  }

  /**
   * Waits for an event after a mark.
   *
   * @param mark from {@link #mark()}
   * @param match the event wanted
   * @param what for the failure message
   * @return the first matching event
   */
  public DeviceEvent await(int mark, Predicate<DeviceEvent> match, String what) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    synchronized (events) {
      while (true) {
        for (DeviceEvent event : events.subList(mark, events.size())) {
          if (match.test(event)) {
            return event;
          }
        }
        long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
        if (left <= 0) {
          throw new AssertionError(
              "no event " + what + " within 60 s; got " + events.subList(mark, events.size()));
        }
        events.wait(left);
      }
    }
  }

  /** The reason of the next rejection the agent reports, after the last one returned. */
  public String nextRejection() throws Exception {
    DeviceEvent event =
        await(rejectionCursor, e -> e.type() == EventType.DESIRED_REJECTED, "DESIRED_REJECTED");
    synchronized (events) {
      rejectionCursor = events.indexOf(event) + 1;
    }
    return event.reason();
  }

  /** The last reported state, if any arrived. */
  public ReportedState reported() {
    return reported;
  }

  @Override
  public void close() throws org.eclipse.paho.client.mqttv3.MqttException {
    client.disconnect();
    client.close();
  }
}
