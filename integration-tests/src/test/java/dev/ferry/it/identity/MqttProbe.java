package dev.ferry.it.identity;

import static org.junit.jupiter.api.Assertions.assertThrows;

import java.security.cert.X509Certificate;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import javax.net.ssl.SSLContext;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttCallback;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

/** Paho clients that try a broker with an identity, or none, and notice when they are cut. */
public final class MqttProbe implements AutoCloseable {
  private final MqttClient client;
  private final CountDownLatch lost = new CountDownLatch(1);

  private MqttProbe(MqttClient client) {
    this.client = client;
  }

  /** Connects with an identity; the client id is its name. */
  public static MqttProbe connect(String url, DeviceIdentity identity) throws Exception {
    return connect(url, identity.name(), identity.options());
  }

  /** Connects with these options and client id. */
  public static MqttProbe connect(String url, String clientId, MqttConnectOptions options)
      throws Exception {
    MqttProbe probe = new MqttProbe(new MqttClient(url, clientId, new MemoryPersistence()));
    // Moquette 0.17 neither acknowledges nor closes on a QoS 1 publish it does not authorize
    // (MQTT 3.1.1 section 3.3.5 asks for one of the two): give up after 2 s (an authorized one
    // is acknowledged within milliseconds)
    probe.client.setTimeToWait(2000);
    probe.client.setCallback(probe.callback());
    probe.client.connect(options);
    return probe;
  }

  /** Asserts that the broker refuses a connection with these options. */
  public static void assertRefused(String url, MqttConnectOptions options, String what) {
    assertThrows(
        MqttException.class,
        () -> connect(url, "probe-" + System.nanoTime(), options).close(),
        what + " connected to " + url);
  }

  /** TLS that trusts the broker but presents no client certificate. */
  public static MqttConnectOptions anonymous(List<X509Certificate> trusted) throws Exception {
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(null, DeviceIdentity.trustManagers(trusted).getTrustManagers(), null);
    MqttConnectOptions options = new MqttConnectOptions();
    options.setSocketFactory(context.getSocketFactory());
    options.setConnectionTimeout(10);
    return options;
  }

  private MqttCallback callback() {
    return new MqttCallback() {
      @Override
      public void connectionLost(Throwable cause) {
        lost.countDown();
      }

      @Override
      public void messageArrived(String topic, MqttMessage message) {}

      @Override
      public void deliveryComplete(IMqttDeliveryToken token) {}
    };
  }

  /**
   * Publishes at QoS 1 where the broker should not let it through: it may acknowledge and drop, not
   * acknowledge (a timeout here), or cut the connection; the caller checks that nothing arrived.
   */
  public void publishRefusedOrIgnored(String topic, byte[] payload, boolean retained) {
    try {
      client.publish(topic, payload, 1, retained);
    } catch (MqttException refused) {
      // not acknowledged or cut off
    }
  }

  /** The client, to publish and subscribe. */
  public MqttClient client() {
    return client;
  }

  /** Whether the broker has cut the connection within this many seconds. */
  public boolean cutWithin(long seconds) throws InterruptedException {
    return lost.await(seconds, java.util.concurrent.TimeUnit.SECONDS);
  }

  @Override
  public void close() throws MqttException {
    if (client.isConnected()) {
      // no quiesce: a publish the broker never acknowledged would hold Paho's default 30 s
      client.disconnectForcibly(0, 1000);
    }
    client.close(true);
  }
}
