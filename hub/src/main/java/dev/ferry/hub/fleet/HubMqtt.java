package dev.ferry.hub.fleet;

import dev.ferry.hub.broker.EmbeddedBroker;
import dev.ferry.hub.broker.HubClientOptions;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.ArrayDeque;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.IMqttMessageListener;
import org.eclipse.paho.client.mqttv3.MqttCallbackExtended;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.jboss.logging.Logger;

/**
 * The hub's MQTT connection (Paho, MQTT 3.1.1, QoS 1): publishes desired states and listens to
 * devices. Reconnects by itself and subscribes again after every reconnect.
 */
@ApplicationScoped
public class HubMqtt {
  private static final Logger LOG = Logger.getLogger(HubMqtt.class);
  private static final int WINDOW = 500;
  private static final long PUBLISH_TIMEOUT_MILLIS = 30_000;

  @Inject EmbeddedBroker broker;
  @Inject HubClientOptions clientOptions;

  private final Map<String, IMqttMessageListener> subscriptions = new ConcurrentHashMap<>();
  private MqttClient client;

  void start(@Observes @Priority(2000) StartupEvent event) throws MqttException {
    client =
        new MqttClient(broker.url(), "ferry-hub-" + UUID.randomUUID(), new MemoryPersistence());
    client.setCallback(new Resubscriber());
    MqttConnectOptions options = clientOptions.create();
    options.setAutomaticReconnect(true);
    options.setCleanSession(true);
    options.setMaxInflight(1000);
    client.connect(options);
  }

  void stop(@Observes @Priority(1) ShutdownEvent event) {
    try {
      if (client != null && client.isConnected()) {
        client.disconnect();
      }
    } catch (MqttException e) {
      LOG.debugf("MQTT disconnect: %s", e.getMessage());
    }
  }

  /**
   * A message to publish.
   *
   * @param topic the topic
   * @param payload the payload
   * @param retained whether the broker keeps it
   */
  public record Outgoing(String topic, byte[] payload, boolean retained) {}

  /**
   * Publishes many messages at QoS 1, up to {@value #WINDOW} in flight at once rather than one
   * round trip each.
   *
   * @param messages the messages
   * @return the indexes of those the broker acknowledged
   */
  public BitSet publishAll(List<Outgoing> messages) {
    BitSet acknowledged = new BitSet(messages.size());
    ArrayDeque<Map.Entry<Integer, IMqttDeliveryToken>> inflight = new ArrayDeque<>();
    for (int i = 0; i < messages.size(); i++) {
      while (inflight.size() >= WINDOW) {
        settle(inflight.poll(), acknowledged);
      }
      Outgoing outgoing = messages.get(i);
      MqttMessage message = new MqttMessage(outgoing.payload());
      message.setQos(1);
      message.setRetained(outgoing.retained());
      try {
        inflight.add(Map.entry(i, client.getTopic(outgoing.topic()).publish(message)));
      } catch (MqttException e) {
        LOG.warnf("cannot publish to %s: %s", outgoing.topic(), e.getMessage());
      }
    }
    while (!inflight.isEmpty()) {
      settle(inflight.poll(), acknowledged);
    }
    return acknowledged;
  }

  /**
   * Publishes at QoS 0 without waiting for anything: for messages whose loss costs only a repeat
   * (receipts, which a device asks for again by sending again).
   *
   * @param messages the messages
   * @return how many were handed to the connection; none while it is down
   */
  public int publishAtMostOnce(List<Outgoing> messages) {
    int sent = 0;
    for (Outgoing outgoing : messages) {
      MqttMessage message = new MqttMessage(outgoing.payload());
      message.setQos(0);
      message.setRetained(outgoing.retained());
      try {
        client.getTopic(outgoing.topic()).publish(message);
        sent++;
      } catch (MqttException e) {
        LOG.debugf("not published to %s: %s", outgoing.topic(), e.getMessage());
        return sent;
      }
    }
    return sent;
  }

  private static void settle(Map.Entry<Integer, IMqttDeliveryToken> sent, BitSet acknowledged) {
    try {
      sent.getValue().waitForCompletion(PUBLISH_TIMEOUT_MILLIS);
      if (sent.getValue().getException() == null) {
        acknowledged.set(sent.getKey());
      }
    } catch (MqttException e) {
      LOG.debugf("a publish was not acknowledged: %s", e.getMessage());
    }
  }

  /**
   * Subscribes at QoS 1, now and after every reconnect.
   *
   * @param filter the topic filter
   * @param listener called for each message, on Paho's thread
   * @throws MqttException if the broker cannot be reached
   */
  public void subscribe(String filter, IMqttMessageListener listener) throws MqttException {
    subscriptions.put(filter, listener);
    client.subscribe(new String[] {filter}, new int[] {1}, new IMqttMessageListener[] {listener});
  }

  private final class Resubscriber implements MqttCallbackExtended {
    @Override
    public void connectComplete(boolean reconnect, String serverUri) {
      if (!reconnect) {
        return;
      }
      subscriptions.forEach(
          (filter, listener) -> {
            try {
              client.subscribe(
                  new String[] {filter}, new int[] {1}, new IMqttMessageListener[] {listener});
            } catch (MqttException e) {
              LOG.warnf("cannot subscribe again to %s: %s", filter, e.getMessage());
            }
          });
    }

    @Override
    public void connectionLost(Throwable cause) {
      LOG.warnf("MQTT connection lost, reconnecting: %s", cause.getMessage());
    }

    @Override
    public void messageArrived(String topic, MqttMessage message) {
      // messages go to the per-subscription listeners
    }

    @Override
    public void deliveryComplete(IMqttDeliveryToken token) {
      // QoS 1 acknowledgements need no action
    }
  }
}
