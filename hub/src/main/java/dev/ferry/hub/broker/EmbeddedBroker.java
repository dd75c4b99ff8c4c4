package dev.ferry.hub.broker;

import dev.ferry.hub.config.HubConfig;
import dev.ferry.hub.identity.DeviceAccess;
import dev.ferry.hub.identity.DeviceRevoked;
import dev.ferry.hub.identity.TlsMaterial;
import dev.ferry.protocol.device.BrokerUrl;
import io.moquette.broker.Server;
import io.moquette.broker.config.IConfig;
import io.moquette.broker.config.MemoryConfig;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.List;
import java.util.Properties;
import org.jboss.logging.Logger;

/**
 * The embedded MQTT 3.1.1 broker (Moquette) of the zero-setup hub, persisted under the data
 * directory: TLS with device-CA client certificates, logins checked by {@link Logins}, topics by
 * {@link TopicPolicy}. Not started when {@code ferry.hub.mqtt.url} names an external broker.
 */
@ApplicationScoped
public class EmbeddedBroker {
  private static final Logger LOG = Logger.getLogger(EmbeddedBroker.class);

  @Inject HubConfig config;
  @Inject TlsMaterial tls;
  @Inject DeviceAccess devices;
  @Inject HubPassword hubPassword;

  private volatile Server server;

  void start(@Observes @jakarta.annotation.Priority(1000) StartupEvent event) {
    if (!embedded()) {
      return;
    }
    HubConfig.Mqtt mqtt = config.mqtt();
    Listeners listeners = new Listeners(mqtt.host(), mqtt.port(), mqtt.plainPort());
    Properties props = listeners.properties();
    List<String> names = ServerTls.names(mqtt.tlsNames(), config.publicUrl());
    try {
      var dir = Files.createDirectories(config.dataDir().resolve("mqtt"));
      props.setProperty(
          IConfig.PERSISTENCE_ENABLED_PROPERTY_NAME, String.valueOf(mqtt.persistence()));
      props.setProperty(IConfig.DATA_PATH_PROPERTY_NAME, dir.toString());
      Server started = new Server();
      RetainedWills wills =
          new RetainedWills(
              started::listConnectedClients,
              message -> started.internalPublish(message, "ferry-hub"));
      started.startServer(
          new MemoryConfig(props),
          List.of(wills),
          new ServerTls(tls, names),
          new Logins(hubPassword, devices),
          new TopicPolicy());
      server = started;
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot start the embedded MQTT broker on port " + mqtt.port(), e);
    }
    LOG.infof(
        "embedded MQTT broker listening with TLS on %s:%d (certificate for %s)%s",
        mqtt.host(),
        mqtt.port(),
        names,
        mqtt.plainPort().map(p -> ", plain TCP on " + p).orElse(""));
  }

  void stop(@Observes ShutdownEvent event) {
    if (server != null) {
      server.stopServer();
    }
  }

  void revoked(@Observes DeviceRevoked event) {
    disconnect(event.deviceId());
  }

  private void disconnect(String deviceId) {
    Server running = server;
    if (running != null && running.disconnectClient(deviceId)) {
      LOG.infof("disconnected revoked device %s", deviceId);
    }
  }

  /** Whether the hub runs its own broker (so it is the only hub on it). */
  public boolean embedded() {
    return config.mqtt().url().isEmpty();
  }

  /** The broker's URL: the external one, or the embedded one's TLS port on loopback. */
  public String url() {
    return config
        .mqtt()
        .url()
        .map(url -> BrokerUrl.check(url, "ferry.hub.mqtt.url"))
        .orElse("ssl://127.0.0.1:" + config.mqtt().port());
  }
}
