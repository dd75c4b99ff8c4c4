package dev.ferry.it.fleet;

import static org.junit.jupiter.api.Assertions.assertNotNull;

import dev.ferry.protocol.device.DeviceEvent;
import dev.ferry.protocol.device.EventType;
import dev.ferry.protocol.json.JsonCodec;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.client.mqttv3.IMqttMessageListener;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

/** An attacker on the broker: reads the device's topics and injects messages (not retained). */
final class Wire implements AutoCloseable {
  private static final String DEVICE = "ferry/v1/devices/edge-it/";
  private final MqttClient client;
  private final BlockingQueue<byte[]> desired = new LinkedBlockingQueue<>();
  private final BlockingQueue<DeviceEvent> rejections = new LinkedBlockingQueue<>();
  private final JsonCodec codec = new JsonCodec();

  Wire(int port) throws Exception {
    client =
        new MqttClient(
            "tcp://127.0.0.1:" + port, "wire-" + System.nanoTime(), new MemoryPersistence());
    client.connect();
    client.subscribe(
        new String[] {DEVICE + "desired", DEVICE + "events"},
        new int[] {1, 1},
        new IMqttMessageListener[] {
          (topic, message) -> desired.add(message.getPayload()),
          (topic, message) -> {
            DeviceEvent event = codec.decode(message.getPayload(), DeviceEvent.class);
            if (event.type() == EventType.DESIRED_REJECTED) {
              rejections.add(event);
            }
          }
        });
  }

  /** The desired state the broker keeps for the device. */
  byte[] retainedDesired() throws InterruptedException {
    byte[] payload = desired.poll(10, TimeUnit.SECONDS);
    assertNotNull(payload, "no retained desired state");
    return payload;
  }

  void inject(byte[] payload) throws Exception {
    client.publish(DEVICE + "desired", payload, 1, false);
  }

  /** The reason of the next rejection the agent reports. */
  String nextRejection() throws InterruptedException {
    DeviceEvent event = rejections.poll(15, TimeUnit.SECONDS);
    assertNotNull(event, "the agent reported no rejection");
    return event.reason();
  }

  @Override
  public void close() throws Exception {
    client.disconnect();
    client.close();
  }
}
