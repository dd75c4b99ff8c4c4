package dev.ferry.hub.fleet;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ferry.hub.HubTestProfile;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.Test;

@QuarkusTest
@TestProfile(HubTestProfile.class)
class EmbeddedBrokerTest {
  @Test
  void broker_deliversARetainedMessageToALateSubscriber() throws Exception {
    String url = "tcp://127.0.0.1:" + HubTestProfile.mqttPort();
    MqttConnectOptions options = new MqttConnectOptions();
    options.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
    MqttClient publisher = new MqttClient(url, "pub-" + System.nanoTime(), new MemoryPersistence());
    publisher.connect(options);
    publisher.publish(
        "ferry/v1/devices/edge-01/online",
        "{\"online\":true}".getBytes(StandardCharsets.UTF_8),
        1,
        true);
    publisher.disconnect();

    CompletableFuture<String> received = new CompletableFuture<>();
    MqttClient subscriber =
        new MqttClient(url, "sub-" + System.nanoTime(), new MemoryPersistence());
    subscriber.connect(options);
    subscriber.subscribe(
        new String[] {"ferry/v1/devices/+/online"},
        new int[] {1},
        new org.eclipse.paho.client.mqttv3.IMqttMessageListener[] {
          (topic, message) ->
              received.complete(
                  topic + " " + new String(message.getPayload(), StandardCharsets.UTF_8))
        });
    assertEquals(
        "ferry/v1/devices/edge-01/online {\"online\":true}", received.get(10, TimeUnit.SECONDS));
    subscriber.disconnect();
    subscriber.close();
    publisher.close();
  }
}
