package dev.ferry.hub.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.hub.HubTestProfile;
import dev.ferry.protocol.device.Topic;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.client.mqttv3.IMqttMessageListener;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.Test;

@QuarkusTest
@TestProfile(HubTestProfile.class)
class EmbeddedBrokerTest {
  @Inject HubClientOptions hubOptions;

  @Test
  void broker_deliversARetainedMessageToALateSubscriber() throws Exception {
    Enrolled device = Enrolled.device("edge-" + System.nanoTime());
    String topic = "ferry/v1/devices/" + device.id() + "/online";
    MqttClient publisher = device.connect();
    publisher.publish(topic, "{\"online\":true}".getBytes(StandardCharsets.UTF_8), 1, true);
    publisher.disconnect();

    CompletableFuture<String> received = new CompletableFuture<>();
    MqttClient subscriber =
        new MqttClient(
            Enrolled.url(), "ferry-hub-test-" + System.nanoTime(), new MemoryPersistence());
    subscriber.connect(hubOptions.create());
    subscriber.subscribe(
        new String[] {topic},
        new int[] {1},
        new IMqttMessageListener[] {
          (name, message) ->
              received.complete(
                  name + " " + new String(message.getPayload(), StandardCharsets.UTF_8))
        });
    assertEquals(topic + " {\"online\":true}", received.get(10, TimeUnit.SECONDS));
    subscriber.disconnect();
    subscriber.close();
    publisher.close();
  }

  @Test
  void broker_takesMessagesUpToTheProtocolsLimitAndClosesOnLarger() throws Exception {
    Enrolled device = Enrolled.device("edge-" + System.nanoTime());
    String topic = "ferry/v1/devices/" + device.id() + "/telemetry";
    MqttClient publisher = device.connect();
    publisher.setTimeToWait(10_000);
    // before the limit was set Moquette's default (8092 bytes) closed the connection here
    publisher.publish(topic, new byte[Topic.MAX_PAYLOAD_BYTES], 1, false);
    assertTrue(publisher.isConnected());
    assertThrows(
        MqttException.class,
        () -> publisher.publish(topic, new byte[Topic.MAX_PACKET_BYTES + 1], 1, false));
    assertFalse(publisher.isConnected());
    publisher.close();
  }
}
