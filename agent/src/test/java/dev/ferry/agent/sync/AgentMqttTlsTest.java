package dev.ferry.agent.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.protocol.testing.Services;
import java.io.InputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent's MQTT link over TLS to a real Mosquitto whose certificate a private CA signed (made
 * with openssl here): it connects when it trusts the CA and not otherwise, and reads past a message
 * over its limit there as over plain TCP.
 */
class AgentMqttTlsTest {
  @TempDir static Path certs;
  private static Process broker;
  private static String url;
  private static SSLSocketFactory trustingTheCa;

  @TempDir Path dir;
  private final String device = "edge-tls-" + System.nanoTime();

  @BeforeAll
  static void startTlsBroker() throws Exception {
    String ca = certs.resolve("ca.pem").toString();
    String caKey = certs.resolve("ca.key").toString();
    String key = certs.resolve("server.key").toString();
    String csr = certs.resolve("server.csr").toString();
    String cert = certs.resolve("server.pem").toString();
    Path ext = Files.writeString(certs.resolve("ext.cnf"), "subjectAltName=IP:127.0.0.1\n");
    String ec = "ec_paramgen_curve:P-256";
    Services.exec(
        "openssl",
        "req",
        "-x509",
        "-newkey",
        "ec",
        "-pkeyopt",
        ec,
        "-nodes",
        "-keyout",
        caKey,
        "-out",
        ca,
        "-subj",
        "/CN=ferry-test-ca",
        "-days",
        "2");
    Services.exec(
        "openssl",
        "req",
        "-newkey",
        "ec",
        "-pkeyopt",
        ec,
        "-nodes",
        "-keyout",
        key,
        "-out",
        csr,
        "-subj",
        "/CN=127.0.0.1");
    Services.exec(
        "openssl",
        "x509",
        "-req",
        "-in",
        csr,
        "-CA",
        ca,
        "-CAkey",
        caKey,
        "-CAcreateserial",
        "-out",
        cert,
        "-days",
        "2",
        "-extfile",
        ext.toString());
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    Path conf =
        Files.writeString(
            certs.resolve("mosquitto.conf"),
            String.join(
                "\n",
                "listener " + port + " 127.0.0.1",
                "cafile " + ca,
                "certfile " + cert,
                "keyfile " + key,
                "allow_anonymous true",
                "persistence false",
                // as root it would otherwise switch to the "mosquitto" user, who cannot read the
                // key
                "user " + System.getProperty("user.name"),
                ""));
    String mosquitto =
        Files.isExecutable(Path.of("/usr/sbin/mosquitto")) ? "/usr/sbin/mosquitto" : "mosquitto";
    broker =
        new ProcessBuilder(mosquitto, "-c", conf.toString())
            .redirectErrorStream(true)
            .redirectOutput(certs.resolve("mosquitto.log").toFile())
            .start();
    awaitPort(port);
    url = "ssl://127.0.0.1:" + port;
    trustingTheCa = trusting(Path.of(ca));
  }

  @AfterAll
  static void stopBroker() throws Exception {
    broker.destroy();
    broker.waitFor(10, TimeUnit.SECONDS);
  }

  private static void awaitPort(int port) throws Exception {
    for (int i = 0; i < 100; i++) {
      try (Socket socket = new Socket("127.0.0.1", port)) {
        return;
      } catch (java.io.IOException notYet) {
        Thread.sleep(100);
      }
    }
    throw new AssertionError("mosquitto with TLS did not listen on " + port);
  }

  private static SSLSocketFactory trusting(Path caPem) throws Exception {
    KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
    trust.load(null, null);
    try (InputStream in = Files.newInputStream(caPem)) {
      trust.setCertificateEntry(
          "ca", CertificateFactory.getInstance("X.509").generateCertificate(in));
    }
    TrustManagerFactory managers =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    managers.init(trust);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(null, managers.getTrustManagers(), null);
    return context.getSocketFactory();
  }

  @Test
  void trustingTheBrokersCa_connectsAndReceivesTheDesiredState() throws Exception {
    MqttClient hub = new MqttClient(url, "hub-" + System.nanoTime(), new MemoryPersistence());
    MqttConnectOptions options = new MqttConnectOptions();
    options.setSocketFactory(trustingTheCa);
    hub.connect(options);
    hub.publish(
        "ferry/v1/devices/" + device + "/desired",
        "over tls".getBytes(StandardCharsets.UTF_8),
        1,
        true);
    BlockingQueue<byte[]> desired = new LinkedBlockingQueue<>();
    try (AgentMqtt agent = new AgentMqtt(url, device, "0.1.0", dir, desired::add)) {
      agent.tls(trustingTheCa);
      agent.start();
      byte[] received = desired.poll(15, TimeUnit.SECONDS);
      assertNotNull(received, "nothing arrived over TLS");
      assertEquals("over tls", new String(received, StandardCharsets.UTF_8));
    } finally {
      hub.disconnect();
      hub.close();
    }
  }

  @Test
  void aMessageOverTheLimit_isReadPastOverTlsToo() throws Exception {
    // this broker has Mosquitto's default limit (256 MB)
    MqttClient hub = new MqttClient(url, "hub-" + System.nanoTime(), new MemoryPersistence());
    MqttConnectOptions options = new MqttConnectOptions();
    options.setSocketFactory(trustingTheCa);
    hub.connect(options);
    String topic = "ferry/v1/devices/" + device + "/desired";
    hub.publish(topic, new byte[3 << 20], 1, true);
    BlockingQueue<byte[]> desired = new LinkedBlockingQueue<>();
    Semaphore connected = new Semaphore(0);
    try (AgentMqtt agent = new AgentMqtt(url, device, "0.1.0", dir, desired::add)) {
      agent.tls(trustingTheCa);
      agent.onConnect(connected::release);
      agent.start();
      assertTrue(connected.tryAcquire(15, TimeUnit.SECONDS), "no connection over TLS");
      hub.publish(topic, "small".getBytes(StandardCharsets.UTF_8), 1, true);
      byte[] received = desired.poll(15, TimeUnit.SECONDS);
      assertNotNull(received, "nothing arrived over TLS");
      assertEquals("small", new String(received, StandardCharsets.UTF_8));
      assertEquals(1, agent.oversizeMessages());
    } finally {
      hub.disconnect();
      hub.close();
    }
  }

  @Test
  void withoutTrustingTheCa_doesNotConnect() throws Exception {
    try (AgentMqtt agent = new AgentMqtt(url, device, "0.1.0", dir, bytes -> {})) {
      agent.start();
      long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
      while (System.nanoTime() < until) {
        assertFalse(agent.connected(), "connected to a broker whose certificate it cannot trust");
        Thread.sleep(100);
      }
    }
  }
}
