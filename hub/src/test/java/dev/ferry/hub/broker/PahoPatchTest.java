package dev.ferry.hub.broker;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.ferry.hub.HubTestProfile;
import dev.ferry.hub.LogRecords;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.jar.JarFile;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.stream.Collectors;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.internal.wire.CountingInputStream;
import org.eclipse.paho.client.mqttv3.internal.wire.MqttPublish;
import org.eclipse.paho.client.mqttv3.internal.wire.MqttWireMessage;
import org.eclipse.paho.client.mqttv3.logging.Logger;
import org.eclipse.paho.client.mqttv3.logging.LoggerFactory;
import org.junit.jupiter.api.Test;

/**
 * The hub decodes what its MQTT sessions receive with its own {@link CountingInputStream} in place
 * of Paho's, which read every byte of a packet with its own call (application.properties): the
 * hub's class is the one loaded, it reads in bulk, Paho decodes with it what it encoded, and the
 * removed resources name the class and the signature files of the Paho jar on the class path.
 */
@QuarkusTest
@TestProfile(HubTestProfile.class)
class PahoPatchTest {
  private static final String PAHO = "org.eclipse.paho:org.eclipse.paho.client.mqttv3";

  @Test
  void countingStream_readsInBulkAndCountsEveryByte() throws IOException {
    BytesByOne source = new BytesByOne(new byte[10_000]);
    CountingInputStream counting = new CountingInputStream(source);
    DataInputStream in = new DataInputStream(counting);

    in.readUnsignedShort();
    in.readFully(new byte[9_990]);

    assertEquals(9_992, counting.getCounter());
    assertEquals(2, source.singleBytes, "one call per byte for the short only");
    counting.resetCounter();
    in.readFully(new byte[8]);
    assertEquals(8, counting.getCounter());
    assertEquals(-1, counting.read());
    assertEquals(8, counting.getCounter(), "the end is not a byte");
  }

  @Test
  void publish_decodesAsPahoEncodedIt_atEachQualityOfService() throws Exception {
    byte[] payload = new byte[70_000];
    new Random(19).nextBytes(payload);
    for (int qos = 0; qos <= 2; qos++) {
      MqttMessage message = new MqttMessage(payload);
      message.setQos(qos);
      message.setRetained(qos == 1);
      MqttPublish sent = new MqttPublish("ferry/v1/devices/edge-é1/telemetry", message);
      sent.setMessageId(qos == 0 ? 0 : 4_000 + qos);

      MqttPublish received =
          assertInstanceOf(MqttPublish.class, MqttWireMessage.createWireMessage(packet(sent)));

      assertEquals(sent.getTopicName(), received.getTopicName());
      assertEquals(qos, received.getMessage().getQos());
      assertEquals(qos == 1, received.getMessage().isRetained());
      assertEquals(sent.getMessageId(), received.getMessageId());
      assertArrayEquals(payload, received.getMessage().getPayload(), "qos " + qos);
    }
  }

  @Test
  void removedResources_nameTheClassAndThePahoJarsSignatureFiles() throws Exception {
    Properties config = new Properties();
    try (InputStream in =
        Thread.currentThread()
            .getContextClassLoader()
            .getResourceAsStream("application.properties")) {
      config.load(in);
    }
    Set<String> removed =
        new TreeSet<>(
            Set.of(
                config
                    .getProperty("quarkus.class-loading.removed-resources.\"" + PAHO + "\"", "")
                    .split(",")));
    Set<String> expected = signatureFiles(jarOf(MqttClient.class));
    expected.add(CountingInputStream.class.getName().replace('.', '/') + ".class");
    assertEquals(expected, removed);
    assertEquals(
        Path.of(PahoPatchTest.class.getProtectionDomain().getCodeSource().getLocation().toURI())
            .resolveSibling("classes"),
        jarOf(CountingInputStream.class),
        "the hub's class is the one loaded");
  }

  @Test
  void logger_isTheHubsAndLooksUpEachJdkLoggerOnce() {
    Logger first = LoggerFactory.getLogger(LoggerFactory.MQTT_CLIENT_MSG_CAT, "dev.ferry.test.A");
    Logger second = LoggerFactory.getLogger(LoggerFactory.MQTT_CLIENT_MSG_CAT, "dev.ferry.test.A");

    assertSame(
        assertInstanceOf(PahoLogger.class, first).jdkLogger(),
        assertInstanceOf(PahoLogger.class, second).jdkLogger());
  }

  @Test
  void logger_writesPahosCatalogueEntryWithItsInserts_atLevelsTheJdkLoggerTakes() {
    Logger paho = LoggerFactory.getLogger(LoggerFactory.MQTT_CLIENT_MSG_CAT, "dev.ferry.test.B");
    paho.setResourceName("ferry-hub-test");
    java.util.logging.Logger jdk = ((PahoLogger) paho).jdkLogger();
    LogRecords taken = LogRecords.on(jdk);
    jdk.setLevel(Level.INFO);
    try (taken) {
      paho.warning("ClientComms", "connect", "204", new Object[] {5});
      paho.fine("ClientComms", "connect", "204", new Object[] {6});
      List<LogRecord> records = taken.all();

      assertEquals(1, records.size(), "FINE is below the JDK logger's level");
      LogRecord record = records.get(0);
      assertEquals(Level.WARNING, record.getLevel());
      assertEquals("ferry-hub-test: connect failed: rc=5", record.getMessage());
      assertEquals("ClientComms", record.getSourceClassName());
      assertFalse(paho.isLoggable(Logger.FINE));
    } finally {
      jdk.setLevel(null);
    }
  }

  private static byte[] packet(MqttPublish publish) throws Exception {
    byte[] header = publish.getHeader();
    byte[] payload = publish.getPayload();
    byte[] packet = new byte[header.length + payload.length];
    System.arraycopy(header, 0, packet, 0, header.length);
    System.arraycopy(payload, 0, packet, header.length, payload.length);
    return packet;
  }

  private static Path jarOf(Class<?> type) throws Exception {
    return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
  }

  private static Set<String> signatureFiles(Path jar) throws IOException {
    try (JarFile file = new JarFile(jar.toFile(), false)) {
      return file.stream()
          .map(entry -> entry.getName())
          .filter(name -> name.matches("META-INF/[^/]+\\.(SF|RSA|DSA|EC)"))
          .collect(Collectors.toCollection(TreeSet::new));
    }
  }

  /** A stream that counts the calls that read one byte. */
  private static final class BytesByOne extends ByteArrayInputStream {
    int singleBytes;

    BytesByOne(byte[] bytes) {
      super(bytes);
    }

    @Override
    public synchronized int read() {
      singleBytes++;
      return super.read();
    }
  }
}
