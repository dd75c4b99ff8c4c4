package dev.ferry.hub.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.hub.HubTestProfile;
import dev.ferry.hub.LogRecords;
import dev.ferry.protocol.device.Topic;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.eclipse.paho.client.mqttv3.IMqttMessageListener;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
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
    assertEquals("{\"online\":true}", retained(topic));
    publisher.close();
  }

  /**
   * A device whose power is cut leaves its retained will: Moquette alone publishes it but keeps the
   * device's earlier "online" (its issue 562), which a hub subscribing at its next start would take
   * for the truth.
   */
  @Test
  void broker_keepsTheRetainedWillOfAConnectionLost_forTheNextSubscriber() throws Exception {
    Enrolled device = Enrolled.device("edge-" + System.nanoTime());
    String topic = "ferry/v1/devices/" + device.id() + "/online";
    MqttConnectOptions options = device.options();
    options.setWill(topic, "{\"online\":false}".getBytes(StandardCharsets.UTF_8), 1, true);
    MqttClient publisher = device.client();
    publisher.connect(options);
    publisher.publish(topic, "{\"online\":true}".getBytes(StandardCharsets.UTF_8), 1, true);
    // the connection closed with no DISCONNECT: what a power cut does
    publisher.disconnectForcibly(0, 1000, false);
    publisher.close();

    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    String kept = retained(topic);
    while (!kept.equals("{\"online\":false}")) {
      assertTrue(System.nanoTime() < deadline, "the broker keeps " + kept);
      Thread.sleep(100);
      kept = retained(topic);
    }
  }

  /** What the broker keeps on a topic, as a subscriber made now receives it. */
  private String retained(String topic) throws Exception {
    CompletableFuture<String> received = new CompletableFuture<>();
    MqttClient subscriber =
        new MqttClient(
            Enrolled.url(), "ferry-hub-test-" + System.nanoTime(), new MemoryPersistence());
    subscriber.connect(hubOptions.create());
    try {
      subscriber.subscribe(
          new String[] {topic},
          new int[] {1},
          new IMqttMessageListener[] {
            (name, message) ->
                received.complete(new String(message.getPayload(), StandardCharsets.UTF_8))
          });
      return received.get(10, TimeUnit.SECONDS);
    } finally {
      subscriber.disconnect();
      subscriber.close();
    }
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

  /**
   * A device's connection and its messages make the embedded broker log nothing at INFO: Moquette
   * logs every packet's receipt (PUBACK both ways, CONNECT, SUBSCRIBE) at INFO, which for a fleet
   * on the zero-setup default was two lines per telemetry batch.
   */
  @Test
  void broker_logsNoLineForADevicesConnectionAndMessages() throws Exception {
    Enrolled device = Enrolled.device("edge-" + System.nanoTime());
    String topic = "ferry/v1/devices/" + device.id() + "/telemetry";
    List<String> logged;
    try (LogRecords records = LogRecords.on(Logger.getLogger(""))) {
      Logger.getLogger(EmbeddedBrokerTest.class.getName()).info("capturing");
      MqttClient publisher = device.connect();
      for (int i = 0; i < 20; i++) {
        publisher.publish(topic, "{}".getBytes(StandardCharsets.UTF_8), 1, false);
      }
      publisher.disconnect();
      publisher.close();
      logged =
          records.all().stream()
              .filter(r -> r.getLevel().intValue() >= Level.INFO.intValue())
              .map(r -> r.getLoggerName() + ": " + r.getMessage())
              .filter(
                  line ->
                      line.startsWith("io.moquette")
                          || line.startsWith(EmbeddedBrokerTest.class.getName() + ":"))
              .toList();
    }
    assertEquals(List.of(EmbeddedBrokerTest.class.getName() + ": capturing"), logged);
  }
}
