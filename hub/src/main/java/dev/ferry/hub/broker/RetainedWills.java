package dev.ferry.hub.broker;

import io.moquette.broker.ClientDescriptor;
import io.moquette.interception.AbstractInterceptHandler;
import io.moquette.interception.messages.InterceptConnectMessage;
import io.moquette.interception.messages.InterceptConnectionLostMessage;
import io.moquette.interception.messages.InterceptDisconnectMessage;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttQoS;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * Keeps a will that asks to be retained, for the embedded broker. Moquette (0.17 and 0.18, its
 * issue 562) publishes such a will to the subscribers but does not keep it, so the broker goes on
 * keeping the client's earlier message on that topic. For an agent that is its presence "online":
 * every subscription made later (the hub's own at each of its starts) would hear that a device
 * whose power was cut is online. Once a connection is lost, and its client has not connected again,
 * this publishes the will again as a retained message, which the broker keeps.
 */
final class RetainedWills extends AbstractInterceptHandler {
  private static final Logger LOG = Logger.getLogger(RetainedWills.class);

  private record Will(String topic, byte[] payload) {}

  private final Map<String, Will> wills = new ConcurrentHashMap<>();
  private final Supplier<Collection<ClientDescriptor>> connected;
  private final Consumer<MqttPublishMessage> publish;

  /**
   * @param connected the clients connected now
   * @param publish publishes a message inside the broker
   */
  RetainedWills(
      Supplier<Collection<ClientDescriptor>> connected, Consumer<MqttPublishMessage> publish) {
    this.connected = connected;
    this.publish = publish;
  }

  @Override
  public String getID() {
    return "ferry-retained-wills";
  }

  @Override
  public Class<?>[] getInterceptedMessageTypes() {
    return new Class<?>[] {
      InterceptConnectMessage.class,
      InterceptDisconnectMessage.class,
      InterceptConnectionLostMessage.class
    };
  }

  @Override
  public void onConnect(InterceptConnectMessage message) {
    if (message.isWillFlag() && message.isWillRetain()) {
      wills.put(message.getClientID(), new Will(message.getWillTopic(), message.getWillMessage()));
    } else {
      wills.remove(message.getClientID());
    }
  }

  @Override
  public void onDisconnect(InterceptDisconnectMessage message) {
    // a clean disconnect discards the will
    if (!connectedNow(message.getClientID())) {
      wills.remove(message.getClientID());
    }
  }

  @Override
  public void onConnectionLost(InterceptConnectionLostMessage message) {
    String client = message.getClientID();
    // a client that connected again (taking its session over) has a new will and says it is back
    if (connectedNow(client)) {
      return;
    }
    Will will = wills.remove(client);
    if (will == null) {
      return;
    }
    publish.accept(
        MqttMessageBuilders.publish()
            .topicName(will.topic())
            .qos(MqttQoS.AT_LEAST_ONCE)
            .retained(true)
            .payload(Unpooled.wrappedBuffer(will.payload()))
            .build());
    LOG.debugf("kept the will of %s on %s", client, will.topic());
  }

  @Override
  public void onSessionLoopError(Throwable error) {
    LOG.debugf(error, "embedded broker session loop error");
  }

  private boolean connectedNow(String client) {
    return connected.get().stream().anyMatch(c -> c.getClientID().equals(client));
  }
}
