package dev.ferry.agent.sync;

import dev.ferry.agent.config.AgentConfig;
import dev.ferry.agent.fetch.ArtifactFetcher;
import dev.ferry.agent.fetch.Backoff;
import dev.ferry.agent.runtime.Models;
import dev.ferry.agent.store.ContentStore;
import dev.ferry.agent.store.StateFile;
import dev.ferry.agent.trust.DesiredStateVerifier;
import dev.ferry.agent.trust.TrustStore;
import dev.ferry.protocol.device.Labels;
import dev.ferry.protocol.registry.Credentials;
import dev.ferry.protocol.registry.RegistryClient;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.io.IOException;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.eclipse.paho.client.mqttv3.MqttException;

/**
 * Starts the agent: restores the cached versions (serving offline within seconds), then connects to
 * the broker in the background and applies each desired state on one worker thread.
 */
@ApplicationScoped
public class AgentLifecycle {
  /** The agent's version, reported to the hub. */
  public static final String VERSION = "0.1.0";

  @Inject AgentConfig config;
  @Inject Models models;
  @Inject ContentStore store;
  @Inject StateFile stateFile;
  @Inject Instance<TrustStore> trust;

  private final Map<String, RegistryClient> clients = new ConcurrentHashMap<>();
  private final ExecutorService applying = Executors.newSingleThreadExecutor(daemon("ferry-apply"));
  private final ExecutorService downloads = Executors.newFixedThreadPool(4, daemon("ferry-fetch"));
  private AgentMqtt mqtt;
  private Applier applier;

  void start(@Observes StartupEvent event) throws IOException, MqttException {
    if (!config.syncEnabled()) {
      return;
    }
    TrustStore trustStore = trust.get();
    String deviceId = DeviceIdentity.of(config);
    Map<String, String> labels = Labels.check(config.labels(), "ferry.agent.labels");
    mqtt = new AgentMqtt(config.mqtt().url(), deviceId, VERSION, config.dataDir(), this::onDesired);
    if (config.mqtt().username().isPresent()) {
      mqtt.credentials(
          config.mqtt().username().get(), config.mqtt().password().orElse("").toCharArray());
    }
    applier =
        new Applier(
            new Applier.Parts(
                deviceId,
                VERSION,
                labels,
                List.copyOf(config.executionProviders()),
                new DesiredStateVerifier(trustStore::root, new dev.ferry.protocol.json.JsonCodec()),
                new ArtifactFetcher(store, this::client, Backoff.DEFAULT, downloads),
                store,
                stateFile,
                models,
                new MqttReporter(mqtt),
                Clock.systemUTC()));
    applier.restore();
    mqtt.onConnect(() -> applying.execute(applier::report));
    mqtt.start();
  }

  void stop(@Observes ShutdownEvent event) {
    applying.shutdownNow();
    downloads.shutdownNow();
    if (mqtt != null) {
      mqtt.close();
    }
    clients.values().forEach(RegistryClient::close);
  }

  private void onDesired(byte[] payload) {
    applying.execute(() -> applier.apply(payload));
  }

  private RegistryClient client(String registry) {
    boolean plain = config.registry().plainHttp().orElse(List.of()).contains(registry);
    return clients.computeIfAbsent(
        registry,
        host ->
            RegistryClient.builder(host)
                .plainHttp(plain)
                .credentials(Credentials.dockerConfig())
                .build());
  }

  private static java.util.concurrent.ThreadFactory daemon(String name) {
    return task -> {
      Thread thread = new Thread(task, name);
      thread.setDaemon(true);
      return thread;
    };
  }
}
