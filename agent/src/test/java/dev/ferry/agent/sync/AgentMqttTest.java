package dev.ferry.agent.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.agent.identity.LogCapture;
import dev.ferry.protocol.device.Channel;
import dev.ferry.protocol.device.Presence;
import dev.ferry.protocol.json.JsonCodec;
import dev.ferry.protocol.testing.CuttingProxy;
import dev.ferry.protocol.testing.Services;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.client.mqttv3.IMqttMessageListener;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The agent's MQTT link against a real Mosquitto broker. */
class AgentMqttTest {
  private static final JsonCodec CODEC = new JsonCodec();
  private static String url;

  @TempDir Path dir;
  private final String device = "edge-" + System.nanoTime();
  private final BlockingQueue<byte[]> desired = new LinkedBlockingQueue<>();
  private final BlockingQueue<Presence> presence = new LinkedBlockingQueue<>();
  private MqttClient watcher;

  @BeforeAll
  static void startBroker() {
    url = Services.start("mosquitto").get("FERRY_MQTT_URL");
  }

  @BeforeEach
  void watch() throws Exception {
    watcher = new MqttClient(url, "watcher-" + System.nanoTime(), new MemoryPersistence());
    MqttConnectOptions options = new MqttConnectOptions();
    options.setAutomaticReconnect(true);
    watcher.connect(options);
    watcher.subscribe(
        new String[] {"ferry/v1/devices/" + device + "/online"},
        new int[] {1},
        new IMqttMessageListener[] {
          (t, m) -> presence.add(CODEC.decode(m.getPayload(), Presence.class))
        });
  }

  @AfterEach
  void stopWatching() throws Exception {
    watcher.disconnectForcibly(100, 100);
    watcher.close();
  }

  private AgentMqtt agent() throws Exception {
    return new AgentMqtt(url, device, "0.1.0", dir, desired::add);
  }

  /** A proxy in front of the broker, to cut or stall the agent's connection. */
  private CuttingProxy network() throws Exception {
    return new CuttingProxy(
        Integer.parseInt(url.substring(url.lastIndexOf(':') + 1)), Long.MAX_VALUE, false);
  }

  private AgentMqtt agent(CuttingProxy network) throws Exception {
    return new AgentMqtt("tcp://" + network.address(), device, "0.1.0", dir, desired::add);
  }

  @Test
  void aBrokerThatCannotBeReached_isOneWarningForManyFailedConnects() throws Exception {
    int closed;
    try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
      closed = socket.getLocalPort();
    }
    try (LogCapture log = new LogCapture(AgentMqtt.class);
        AgentMqtt agent =
            new AgentMqtt("tcp://127.0.0.1:" + closed, device, "0.1.0", dir, desired::add)) {
      agent.start();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (failedConnects(log) < 3 && System.nanoTime() < deadline) {
        Thread.sleep(50);
      }

      assertTrue(failedConnects(log) >= 3, String.valueOf(log.lines));
      assertEquals(1, log.warnings.size(), String.valueOf(log.warnings));
      assertTrue(
          log.warnings.get(0).startsWith("cannot connect to tcp://127.0.0.1:" + closed + " as "),
          log.warnings.get(0));
    }
  }

  private static long failedConnects(LogCapture log) {
    return log.lines.stream()
        .filter(l -> l.startsWith("cannot connect") || l.startsWith("MQTT connect failed"))
        .count();
  }

  @Test
  void connect_receivesTheRetainedDesiredStateAndAnnouncesPresence() throws Exception {
    watcher.publish(
        "ferry/v1/devices/" + device + "/desired",
        "signed".getBytes(StandardCharsets.UTF_8),
        1,
        true);
    try (AgentMqtt agent = agent()) {
      agent.start();
      assertEquals("signed", new String(poll(desired), StandardCharsets.UTF_8));
      assertEquals(true, poll(presence).online());
      agent.publish(Channel.EVENTS, "{}".getBytes(StandardCharsets.UTF_8));
    }
    assertEquals(false, poll(presence).online());
  }

  @Test
  void aLostConnection_firesTheWillAndTheAgentComesBack() throws Exception {
    try (CuttingProxy network = network();
        AgentMqtt agent = agent(network)) {
      agent.start();
      assertEquals(true, poll(presence).online());
      network.cutAll();
      assertEquals(false, poll(presence).online());
      assertEquals(true, poll(presence).online());
      hearsDesiredStates();
    }
  }

  @Test
  void aBrokerThatStopsAnswering_holdsTheAgentsStopForItsCloseWaitOnly() throws Exception {
    try (CuttingProxy network = network()) {
      AgentMqtt agent = agent(network);
      long millis;
      try {
        agent.start();
        assertEquals(true, poll(presence).online());
        network.stall(true);
      } finally {
        long started = System.nanoTime();
        agent.close();
        millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
      }
      // before: the offline presence's 10 s publish timeout (and Paho's 30 s quiesce after it)
      assertTrue(millis < 6000, "the agent's MQTT close took " + millis + " ms");
      // its offline presence reached the broker (only the broker's answers were lost) ...
      assertEquals(false, poll(presence).online());
      // ... and, the connection dropped without a DISCONNECT, so did its will (before: the
      // connection stayed open, and the will came only when the broker's keep-alive ran out)
      assertEquals(false, poll(presence).online());
    }
  }

  @Test
  void aReconnect_doesNotWaitForAcknowledgementsTheBrokerNeverSent() throws Exception {
    try (CuttingProxy network = network();
        AgentMqtt agent = agent(network)) {
      agent.start();
      assertEquals(true, poll(presence).online());
      network.stall(true);
      Thread inFlight =
          new Thread(
              () -> {
                try {
                  agent.publish(Channel.EVENTS, "{}".getBytes(StandardCharsets.UTF_8));
                } catch (Exception expected) {
                  // its acknowledgement was dropped: Paho's wait for it times out
                }
              });
      inFlight.start();
      Thread.sleep(500); // the message is sent; its acknowledgement is dropped
      network.stall(false);
      agent.reconnect(); // as after a certificate's renewal
      // before: Paho's disconnect waited 30 s for the lost acknowledgement
      assertEquals(true, poll(presence).online());
      inFlight.join();
    }
  }

  @Test
  void aConnectionWhoseSubscriptionsGoUnanswered_isMadeAgain() throws Exception {
    int broker = Integer.parseInt(url.substring(url.lastIndexOf(':') + 1));
    // the broker's CONNACK (4 bytes) gets through, then nothing: the SUBACK never comes
    try (CuttingProxy network = new CuttingProxy(broker, 4, true);
        AgentMqtt agent = agent(network)) {
      agent.start();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
      while (network.forwarded() < 4 && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      network.limit(Long.MAX_VALUE); // the connections made from now on are whole
      // before: the agent stayed on the half-made connection, subscribed to nothing, silent
      assertEquals(true, poll(presence, 25).online());
      hearsDesiredStates();
    }
  }

  @Test
  void twoAgentsWithOneDeviceId_backOffRatherThanTakeTheSessionOverAndBackAtOnce()
      throws Exception {
    try (LogCapture log = new LogCapture(AgentMqtt.class);
        AgentMqtt one = agent();
        AgentMqtt other = new AgentMqtt(url, device, "0.1.0", dir.resolve("other"), desired::add)) {
      one.start();
      other.start();
      Thread.sleep(6000);
      long early = lost(log);
      Thread.sleep(6000);
      long later = lost(log) - early;
      // before: each took the session back at once, about three times a second all along
      assertTrue(later <= 4, later + " connections lost in the second 6 s, " + early + " before");
    }
  }

  /** A desired state published now reaches the agent. */
  private void hearsDesiredStates() throws Exception {
    watcher.publish(
        "ferry/v1/devices/" + device + "/desired",
        "after".getBytes(StandardCharsets.UTF_8),
        1,
        true);
    assertEquals("after", new String(poll(desired), StandardCharsets.UTF_8));
  }

  private static long lost(LogCapture log) {
    return log.lines.stream().filter(l -> l.startsWith("MQTT connection lost")).count();
  }

  private static <T> T poll(BlockingQueue<T> queue) throws InterruptedException {
    T item = queue.poll(15, TimeUnit.SECONDS);
    assertNotNull(item, "nothing arrived in 15 s");
    return item;
  }

  private static <T> T poll(BlockingQueue<T> queue, int seconds) throws InterruptedException {
    T item = queue.poll(seconds, TimeUnit.SECONDS);
    assertNotNull(item, "nothing arrived in " + seconds + " s");
    return item;
  }
}
