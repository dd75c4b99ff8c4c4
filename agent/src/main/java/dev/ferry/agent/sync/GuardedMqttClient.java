package dev.ferry.agent.sync;

import java.util.function.Consumer;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttClientPersistence;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.internal.NetworkModule;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

/**
 * Paho's blocking MQTT client whose every connection reads the broker through an {@link
 * OversizeGuard}, whatever the scheme ({@code tcp://}, {@code ssl://} with its socket factory and
 * host name check): the modules Paho makes for each connect are wrapped, through the one extension
 * point Paho 1.2.5 has for it ({@code MqttAsyncClient.createNetworkModules}, protected).
 */
final class GuardedMqttClient extends MqttClient {
  /**
   * Creates the client; like {@link MqttClient#MqttClient(String, String, MqttClientPersistence)}.
   *
   * @param limit the largest remaining length of a packet from the broker
   * @param oversize told of each message read past, on Paho's receiving thread
   */
  GuardedMqttClient(
      String url,
      String clientId,
      MqttClientPersistence persistence,
      int limit,
      Consumer<OversizeMessage> oversize)
      throws MqttException {
    // MqttClient takes no asynchronous client from outside: the one it makes (in memory, with no
    // thread or file yet) is replaced before use by one whose network modules are guarded
    super(url, clientId, new MemoryPersistence());
    aClient = new Guarded(url, clientId, persistence, limit, oversize);
  }

  /**
   * Sends DISCONNECT without waiting for messages in flight, and waits at most {@code millis} for
   * it to go out: {@link MqttClient#disconnect(long)} waits with no limit, which a full socket
   * buffer to a broker that stopped reading makes as long as the keep-alive.
   *
   * @throws MqttException if it could not be sent in time ({@code REASON_CODE_CLIENT_TIMEOUT})
   */
  void disconnectWithin(long millis) throws MqttException {
    aClient.disconnect(0, null, null).waitForCompletion(millis);
  }

  private static final class Guarded extends MqttAsyncClient {
    private final int limit;
    private final Consumer<OversizeMessage> oversize;

    Guarded(
        String url,
        String clientId,
        MqttClientPersistence persistence,
        int limit,
        Consumer<OversizeMessage> oversize)
        throws MqttException {
      super(url, clientId, persistence);
      this.limit = limit;
      this.oversize = oversize;
    }

    @Override
    protected NetworkModule[] createNetworkModules(String address, MqttConnectOptions options)
        throws MqttException {
      NetworkModule[] modules = super.createNetworkModules(address, options);
      for (int i = 0; i < modules.length; i++) {
        modules[i] = new GuardedNetworkModule(modules[i], limit, oversize);
      }
      return modules;
    }
  }
}
