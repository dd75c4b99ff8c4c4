package dev.ferry.hub.fleet;

import dev.ferry.hub.broker.EmbeddedBroker;
import dev.ferry.hub.broker.HubClientOptions;
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
import java.util.Collection;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
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
 * The hub's sessions for what devices send, with shared subscriptions on an external broker (so
 * replicas split the load) and manual acknowledgements (a message is acknowledged only once its
 * handler has stored it):
 *
 * <ul>
 *   <li>{@code <client-id>-ingest} for {@code telemetry} and {@code events}: persistent on an
 *       external broker (a stable client id), so batches sent while the hub restarts wait for it;
 *   <li>{@code <client-id>-state} for {@code reported} and {@code online}: always clean. These are
 *       retained, so nothing is lost that {@link #resync} cannot fetch again; and a replica that
 *       stops for good must not keep a share of them (Mosquitto goes on queueing a persistent
 *       session's share of a shared subscription while it is away).
 * </ul>
 *
 * <p>Only messages of ACCEPTED devices reach the handlers ({@link DeviceGate}); others are
 * acknowledged and dropped.
 */
@ApplicationScoped
public class IngestSession {
  private static final Logger LOG = Logger.getLogger(IngestSession.class);
  private static final int MAX_INFLIGHT = 2000;
  private static final Set<Channel> STREAMS = EnumSet.of(Channel.TELEMETRY, Channel.EVENTS);
  private static final Set<Channel> STATES = EnumSet.of(Channel.REPORTED, Channel.ONLINE);

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
  @Inject HubClientOptions clientOptions;
  @Inject DeviceGate gate;

  private final Map<Channel, Handler> handlers = new ConcurrentHashMap<>();
  private MqttClient ingest;
  private MqttClient state;

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
    // persistent on an external broker, which outlives the hub; the embedded broker restarts
    // with the hub, and devices send again what it did not acknowledge
    ingest = connect("-ingest", !broker.embedded(), STREAMS);
    state = connect("-state", false, STATES);
  }

  private MqttClient connect(String suffix, boolean persistent, Set<Channel> channels)
      throws MqttException {
    MqttClient client = new MqttClient(broker.url(), clientId() + suffix, new MemoryPersistence());
    client.setManualAcks(true);
    client.setCallback(new Listener(client, channels));
    MqttConnectOptions options = clientOptions.create();
    options.setCleanSession(!persistent);
    options.setAutomaticReconnect(true);
    options.setMaxInflight(MAX_INFLIGHT);
    client.connect(options);
    subscribe(client, channels);
    return client;
  }

  void stop(@Observes @Priority(2) ShutdownEvent event) {
    for (MqttClient client : new MqttClient[] {ingest, state}) {
      try {
        if (client != null && client.isConnected()) {
          client.disconnect();
        }
      } catch (MqttException e) {
        LOG.debugf("ingest MQTT disconnect: %s", e.getMessage());
      }
    }
  }

  /**
   * Fetches the retained {@code reported} state of devices again, for those whose last report this
   * hub may have missed (a replica that stopped had it in flight). Each arrives like any report.
   *
   * @param deviceIds the devices
   */
  public void resync(Collection<String> deviceIds) {
    List<String> topics =
        deviceIds.stream().map(id -> new Topic(id, Channel.REPORTED).toString()).toList();
    for (int i = 0; i < topics.size(); i += 100) {
      String[] chunk = topics.subList(i, Math.min(topics.size(), i + 100)).toArray(String[]::new);
      int[] qos = new int[chunk.length];
      java.util.Arrays.fill(qos, 1);
      try {
        // the broker sends the retained messages before it reads the unsubscribe
        state.subscribe(chunk, qos);
        state.unsubscribe(chunk);
      } catch (MqttException e) {
        LOG.warnf("cannot fetch reported states again: %s", e.getMessage());
        return;
      }
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

  private void subscribe(MqttClient client, Set<Channel> channels) throws MqttException {
    for (Channel channel : channels) {
      if (handlers.containsKey(channel)) {
        client.subscribe(filter(channel), 1);
      }
    }
  }

  private static void ack(MqttClient client, MqttMessage message) {
    try {
      client.messageArrivedComplete(message.getId(), message.getQos());
    } catch (MqttException e) {
      LOG.debugf("ack of message %d failed: %s", message.getId(), e.getMessage());
    }
  }

  private final class Listener implements MqttCallbackExtended {
    private final MqttClient client;
    private final Set<Channel> channels;

    Listener(MqttClient client, Set<Channel> channels) {
      this.client = client;
      this.channels = channels;
    }

    @Override
    public void connectComplete(boolean reconnect, String serverUri) {
      if (reconnect) {
        try {
          subscribe(client, channels);
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
        ack(client, message);
        return;
      }
      Handler handler = handlers.get(topic.channel());
      if (handler == null || !gate.admits(topic)) {
        ack(client, message);
        return;
      }
      handler.handle(topic, message.getPayload(), () -> ack(client, message));
    }

    @Override
    public void deliveryComplete(IMqttDeliveryToken token) {
      // nothing is published on this session
    }
  }
}
