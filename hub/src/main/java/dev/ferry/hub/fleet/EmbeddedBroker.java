package dev.ferry.hub.fleet;

import dev.ferry.hub.config.HubConfig;
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
import java.util.Properties;
import org.jboss.logging.Logger;

/**
 * The embedded MQTT 3.1.1 broker (Moquette) of the zero-setup hub, persisted under the data
 * directory; not started when {@code ferry.hub.mqtt.url} names an external broker.
 */
@ApplicationScoped
public class EmbeddedBroker {
  private static final Logger LOG = Logger.getLogger(EmbeddedBroker.class);

  @Inject HubConfig config;

  private Server server;

  void start(@Observes @jakarta.annotation.Priority(1000) StartupEvent event) {
    if (config.mqtt().url().isPresent()) {
      return;
    }
    Properties props = new Properties();
    props.setProperty(IConfig.HOST_PROPERTY_NAME, config.mqtt().host());
    props.setProperty(IConfig.PORT_PROPERTY_NAME, String.valueOf(config.mqtt().port()));
    props.setProperty(IConfig.WEB_SOCKET_PORT_PROPERTY_NAME, "disabled");
    props.setProperty(IConfig.ALLOW_ANONYMOUS_PROPERTY_NAME, "true");
    props.setProperty(IConfig.ENABLE_TELEMETRY_NAME, "false");
    try {
      var dir = Files.createDirectories(config.dataDir().resolve("mqtt"));
      props.setProperty(IConfig.PERSISTENCE_ENABLED_PROPERTY_NAME, "true");
      props.setProperty(IConfig.DATA_PATH_PROPERTY_NAME, dir.toString());
      server = new Server();
      server.startServer(new MemoryConfig(props));
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot start the embedded MQTT broker on port " + config.mqtt().port(), e);
    }
    LOG.infof(
        "embedded MQTT broker listening on %s:%d", config.mqtt().host(), config.mqtt().port());
  }

  void stop(@Observes ShutdownEvent event) {
    if (server != null) {
      server.stopServer();
    }
  }

  /** Whether the hub runs its own broker (so it is the only hub on it). */
  public boolean embedded() {
    return config.mqtt().url().isEmpty();
  }

  /** The broker's URL: the external one, or the embedded one on loopback. */
  public String url() {
    return config.mqtt().url().orElse("tcp://127.0.0.1:" + config.mqtt().port());
  }
}
