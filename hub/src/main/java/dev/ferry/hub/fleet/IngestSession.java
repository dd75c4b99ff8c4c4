package dev.ferry.hub.fleet;

import dev.ferry.hub.config.HubConfig;
import dev.ferry.protocol.device.Channel;
import dev.ferry.protocol.device.Topic;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttCallbackExtended;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.jboss.logging.Logger;

/**
 * The hub's session for what devices send ({@code reported}, {@code online}, {@code events}, {@code
 * telemetry}): on an external broker persistent (a stable client id, so messages sent while the hub
 * restarts wait at the broker) with shared subscriptions (so replicas split the load); always with
 * manual acknowledgements (a message is acknowledged only once its handler has stored it).
 */
@ApplicationScoped
public class IngestSession {
  private static final Logger LOG = Logger.getLogger(IngestSession.class);
  private static final int MAX_INFLIGHT = 2000;

  /** Handles one message; calls {@link Ack#done()} once it is stored (possibly later). */
  public interface Handler {
    /**
     * @param topic the device and channel
     * @param payload the payload
     * @param ack acknowledges the message to the broker
     */
    void handle(Topic topic, byte[] payload, Ack ack) throws InterruptedException;
  }

  /** Acknowledges one message to the broker. */
  public interface Ack {
    /** The message is stored (or dropped for good); the broker may forget it. */
    void done();
  }

  @Inject HubConfig config;
  @Inject EmbeddedBroker broker;

  private final Map<Channel, Handler> handlers = new ConcurrentHashMap<>();
  private MqttClient client;

  /**
   * Registers the handler of a channel; call before the session starts (startup priority below
   * 3500).
   *
   * @param channel the channel
   * @param handler its handler, called on Paho's thread
   */
  public void on(Channel channel, Handler handler) {
    handlers.put(channel, handler);
  }

  void start(@Observes @Priority(3500) StartupEvent event) throws MqttException {
    client = new MqttClient(broker.url(), clientId() + "-ingest", new MemoryPersistence());
    client.setManualAcks(true);
    client.setCallback(new Listener());
    MqttConnectOptions options = new MqttConnectOptions();
    options.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
    // persistent on an external broker, which outlives the hub; the embedded broker restarts
    // with the hub, and devices send again what it did not acknowledge
    options.setCleanSession(broker.embedded());
    options.setAutomaticReconnect(true);
    options.setMaxInflight(MAX_INFLIGHT);
    client.connect(options);
    subscribe();
  }

  void stop(@Observes @Priority(2) ShutdownEvent event) {
    try {
      if (client != null && client.isConnected()) {
        client.disconnect();
      }
    } catch (MqttException e) {
      LOG.debugf("ingest MQTT disconnect: %s", e.getMessage());
    }
  }

  /**
   * The filter of a channel: shared among replicas on an external broker, plain on the embedded.
   */
  String filter(Channel channel) {
    String filter = Topic.filter(channel);
    return broker.embedded() ? filter : "$share/" + config.mqtt().sharedGroup() + "/" + filter;
  }

  private String clientId() {
    return config.mqtt().clientId().orElseGet(IngestSession::hostClientId);
  }

  private static String hostClientId() {
    try {
      return "ferry-hub-"
          + InetAddress.getLocalHost().getHostName().replaceAll("[^A-Za-z0-9._-]", "");
    } catch (UnknownHostException e) {
      return "ferry-hub";
    }
  }

  private void subscribe() throws MqttException {
    for (Channel channel : handlers.keySet()) {
      client.subscribe(filter(channel), 1);
    }
  }

  private void ack(MqttMessage message) {
    try {
      client.messageArrivedComplete(message.getId(), message.getQos());
    } catch (MqttException e) {
      LOG.debugf("ack of message %d failed: %s", message.getId(), e.getMessage());
    }
  }

  private final class Listener implements MqttCallbackExtended {
    @Override
    public void connectComplete(boolean reconnect, String serverUri) {
      if (reconnect) {
        try {
          subscribe();
        } catch (MqttException e) {
          LOG.warnf("cannot subscribe again: %s", e.getMessage());
        }
      }
    }

    @Override
    public void connectionLost(Throwable cause) {
      LOG.warnf("ingest MQTT connection lost (%s); reconnecting", cause.getMessage());
    }

    @Override
    public void messageArrived(String name, MqttMessage message) throws InterruptedException {
      Topic topic;
      try {
        topic = Topic.parse(name);
      } catch (IllegalArgumentException e) {
        LOG.debugf("dropped a message on %s: %s", name, e.getMessage());
        ack(message);
        return;
      }
      Handler handler = handlers.get(topic.channel());
      if (handler == null) {
        ack(message);
        return;
      }
      handler.handle(topic, message.getPayload(), () -> ack(message));
    }

    @Override
    public void deliveryComplete(IMqttDeliveryToken token) {
      // nothing is published on this session
    }
  }
}
