package dev.ferry.agent.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent's MQTT link against a Mosquitto of its own that forwards messages of any size (as one
 * without Ferry's config does): a retained 3 MiB desired state is read past, counted and
 * acknowledged, and the next desired state on the topic arrives.
 */
class AgentMqttOversizeTest {
  private static final byte[] OVERSIZE = new byte[3 << 20];

  @TempDir static Path brokerDir;
  private static Process broker;
  private static String url;

  @TempDir Path dir;
  private final String device = "edge-big-" + System.nanoTime();
  private final String topic = "ferry/v1/devices/" + device + "/desired";
  private final BlockingQueue<byte[]> desired = new LinkedBlockingQueue<>();
  private final Semaphore connects = new Semaphore(0);
  private MqttClient hub;

  @BeforeAll
  static void startBroker() throws Exception {
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    Path conf =
        Files.writeString(
            brokerDir.resolve("mosquitto.conf"),
            String.join(
                "\n",
                "listener " + port + " 127.0.0.1",
                "allow_anonymous true",
                "persistence false",
                // no limit but the protocol's (256 MB), Mosquitto's default
                "message_size_limit 0",
                // as root it would otherwise switch to the "mosquitto" user
                "user " + System.getProperty("user.name"),
                "log_dest stdout",
                "log_type error",
                "log_type warning",
                "log_type notice",
                "log_type information",
                "connection_messages false",
                ""));
    String mosquitto =
        Files.isExecutable(Path.of("/usr/sbin/mosquitto")) ? "/usr/sbin/mosquitto" : "mosquitto";
    // line-buffered, so that "running" is there to read as soon as it listens
    broker =
        new ProcessBuilder("stdbuf", "-oL", mosquitto, "-c", conf.toString())
            .redirectErrorStream(true)
            .start();
    awaitRunning(broker);
    url = "tcp://127.0.0.1:" + port;
  }

  /** Waits for Mosquitto's "running" line; its output is read to the end on a daemon thread. */
  private static void awaitRunning(Process process) throws Exception {
    CompletableFuture<Void> running = new CompletableFuture<>();
    Thread reader =
        new Thread(
            () -> {
              List<String> lines = new ArrayList<>();
              try (BufferedReader out =
                  new BufferedReader(
                      new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = out.readLine(); line != null; line = out.readLine()) {
                  lines.add(line);
                  if (line.endsWith(" running")) {
                    running.complete(null);
                  }
                }
              } catch (IOException e) {
                lines.add(e.toString());
              }
              running.completeExceptionally(new AssertionError("mosquitto ended: " + lines));
            },
            "mosquitto-output");
    reader.setDaemon(true);
    reader.start();
    running.get(30, TimeUnit.SECONDS);
  }

  @AfterAll
  static void stopBroker() throws Exception {
    broker.destroy();
    broker.waitFor(10, TimeUnit.SECONDS);
  }

  @BeforeEach
  void connectHub() throws Exception {
    hub = new MqttClient(url, "hub-" + System.nanoTime(), new MemoryPersistence());
    hub.connect();
  }

  @AfterEach
  void disconnectHub() throws Exception {
    hub.disconnect();
    hub.close();
  }

  @Test
  void aRetainedMessageOverTheLimit_isSkippedAndCounted_andTheNextOneArrives() throws Exception {
    hub.publish(topic, OVERSIZE, 1, true);
    try (AgentMqtt agent = agent()) {
      agent.start();
      awaitConnect();
      hub.publish(topic, text("small"), 1, true);

      assertEquals("small", text(poll()));
      assertEquals(1, agent.oversizeMessages());
    }
  }

  @Test
  void theSkippedMessage_isAcknowledged_soTheSessionDoesNotSendItAgain() throws Exception {
    try (AgentMqtt agent = agent()) {
      agent.start();
      awaitConnect();
      hub.publish(topic, OVERSIZE, 1, false);
      hub.publish(topic, text("first"), 1, false);
      assertEquals("first", text(poll()));

      // the persistent session sends every unacknowledged message again after a reconnect,
      // before anything published later
      agent.reconnect();
      awaitConnect();
      hub.publish(topic, text("second"), 1, false);

      assertEquals("second", text(poll()));
      assertEquals(1, agent.oversizeMessages());
      assertTrue(desired.isEmpty(), "nothing else arrived");
    }
  }

  private AgentMqtt agent() throws Exception {
    AgentMqtt agent = new AgentMqtt(url, device, "0.1.0", dir, desired::add);
    agent.onConnect(connects::release);
    return agent;
  }

  private void awaitConnect() throws InterruptedException {
    assertTrue(connects.tryAcquire(15, TimeUnit.SECONDS), "the agent did not connect in 15 s");
  }

  private byte[] poll() throws InterruptedException {
    byte[] payload = desired.poll(15, TimeUnit.SECONDS);
    assertNotNull(payload, "nothing arrived in 15 s");
    return payload;
  }

  private static byte[] text(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  private static String text(byte[] payload) {
    return new String(payload, StandardCharsets.UTF_8);
  }
}
