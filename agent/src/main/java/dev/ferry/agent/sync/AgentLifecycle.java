package dev.ferry.agent.sync;

import dev.ferry.agent.config.AgentConfig;
import dev.ferry.agent.fetch.ArtifactFetcher;
import dev.ferry.agent.fetch.Backoff;
import dev.ferry.agent.runtime.ExecutionProviders;
import dev.ferry.agent.runtime.Models;
import dev.ferry.agent.runtime.Rollback;
import dev.ferry.agent.store.ContentStore;
import dev.ferry.agent.store.StateFile;
import dev.ferry.agent.telemetry.ServingMeters;
import dev.ferry.agent.telemetry.TelemetrySender;
import dev.ferry.agent.trust.DesiredStateVerifier;
import dev.ferry.agent.trust.TrustStore;
import dev.ferry.protocol.device.Channel;
import dev.ferry.protocol.device.Labels;
import dev.ferry.protocol.registry.Credentials;
import dev.ferry.protocol.registry.RegistryClient;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.tls.TlsConfiguration;
import io.quarkus.tls.TlsConfigurationRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.io.IOException;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLSocketFactory;
import org.eclipse.paho.client.mqttv3.MqttException;

/**
 * Starts the agent: restores the cached versions (serving offline within seconds), resumes what the
 * accepted desired state still lacks, connects to the broker in the background and applies each
 * desired state on one worker thread; installs that could not reach the registry are retried there
 * with backoff until they succeed or a newer desired state replaces them.
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
  @Inject TlsConfigurationRegistry tlsRegistry;
  @Inject ServingMeters meters;

  private final Map<String, RegistryClient> clients = new ConcurrentHashMap<>();

  /** Undelivered events kept while the broker is unreachable. */
  static final int EVENT_QUEUE = 10_000;

  private final ScheduledExecutorService applying =
      Executors.newSingleThreadScheduledExecutor(daemon("ferry-apply"));
  private final ExecutorService downloads = Executors.newFixedThreadPool(4, daemon("ferry-fetch"));
  private AgentMqtt mqtt;
  private final ScheduledExecutorService telemetryTimer =
      Executors.newSingleThreadScheduledExecutor(daemon("ferry-telemetry"));
  private volatile Applier applier;
  private TelemetrySender telemetry;
  private ScheduledFuture<?> retry;
  private int retries;

  void start(@Observes StartupEvent event) throws IOException, MqttException {
    if (!config.syncEnabled()) {
      return;
    }
    TrustStore trustStore = trust.get();
    String deviceId = DeviceIdentity.of(config);
    Map<String, String> labels = Labels.check(config.labels(), "ferry.agent.labels");
    mqtt = connection(deviceId);
    MqttReporter reporter = new MqttReporter(mqtt, EVENT_QUEUE);
    Applier created = applier(deviceId, labels, trustStore, reporter);
    created.restore();
    applier = created;
    mqtt.onConnect(reporter::reconnected);
    startTelemetry(deviceId);
    mqtt.start();
    applying.execute(() -> afterwards(created.reconcile()));
  }

  private AgentMqtt connection(String deviceId) throws MqttException {
    AgentMqtt link =
        new AgentMqtt(config.mqtt().url(), deviceId, VERSION, config.dataDir(), this::onDesired);
    config.mqtt().tlsConfigurationName().ifPresent(name -> link.tls(tlsSocketFactory(name)));
    config
        .mqtt()
        .username()
        .ifPresent(
            user -> link.credentials(user, config.mqtt().password().orElse("").toCharArray()));
    return link;
  }

  private Applier applier(
      String deviceId, Map<String, String> labels, TrustStore trustStore, Reporter reporter) {
    return new Applier(
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
            reporter,
            Clock.systemUTC()));
  }

  private void startTelemetry(String deviceId) {
    checkTelemetryConfig();
    telemetry =
        TelemetrySender.of(
            deviceId,
            meters,
            config.dataDir(),
            ExecutionProviders.available(),
            config.telemetry().journalMaxBytes(),
            new TelemetryLink(mqtt));
    long interval = config.telemetry().interval().toMillis();
    telemetryTimer.scheduleAtFixedRate(telemetry::tick, interval, interval, TimeUnit.MILLISECONDS);
    mqtt.onConnect(() -> telemetryTimer.execute(telemetry::drain));
  }

  private void checkTelemetryConfig() {
    if (config.telemetry().interval().isNegative() || config.telemetry().interval().isZero()) {
      throw new IllegalStateException(
          "ferry.agent.telemetry.interval: must be positive, got " + config.telemetry().interval());
    }
    if (config.telemetry().journalMaxBytes() < 1) {
      throw new IllegalStateException(
          "ferry.agent.telemetry.journal-max-bytes: must be at least 1, got "
              + config.telemetry().journalMaxBytes());
    }
  }

  /** Telemetry batches go out on the agent's MQTT connection. */
  private record TelemetryLink(AgentMqtt mqtt) implements TelemetrySender.Link {
    @Override
    public boolean up() {
      return mqtt.connected();
    }

    @Override
    public void send(byte[] payload) throws MqttException {
      mqtt.publish(Channel.TELEMETRY, payload);
    }
  }

  private SSLSocketFactory tlsSocketFactory(String name) {
    TlsConfiguration tls = tlsRegistry.get(name).orElseThrow(() -> noTlsConfiguration(name));
    try {
      return tls.createSSLContext().getSocketFactory();
    } catch (Exception e) {
      throw new IllegalStateException(
          "ferry.agent.mqtt.tls-configuration-name: TLS configuration '"
              + name
              + "' does not load: "
              + e.getMessage(),
          e);
    }
  }

  private static IllegalStateException noTlsConfiguration(String name) {
    return new IllegalStateException(
        "ferry.agent.mqtt.tls-configuration-name: no TLS configuration '"
            + name
            + "'; define quarkus.tls."
            + name
            + ".trust-store.pem.certs (and a key store for a client certificate)");
  }

  /** The applier once the cached state is restored; empty before, and when sync is off. */
  public Optional<Applier> applier() {
    return Optional.ofNullable(applier);
  }

  void rolledBack(@Observes Rollback rollback) {
    Applier current = applier;
    if (current != null) {
      applying.execute(() -> current.rolledBack(rollback));
    }
  }

  void stop(@Observes ShutdownEvent event) {
    telemetryTimer.shutdownNow();
    if (telemetry != null) {
      telemetry.tick();
    }
    applying.shutdownNow();
    downloads.shutdownNow();
    if (mqtt != null) {
      mqtt.close();
    }
    clients.values().forEach(RegistryClient::close);
  }

  private void onDesired(byte[] payload) {
    applying.execute(() -> afterwards(applier.apply(payload)));
  }

  /** Runs on the apply thread: schedules a retry while an install waits, with growing delays. */
  private void afterwards(boolean pending) {
    if (!pending) {
      retries = 0;
      cancelRetry();
    } else if (retry == null || retry.isDone()) {
      long delay = Backoff.RESUME.delay(retries++).toMillis();
      retry = applying.schedule(this::retry, delay, TimeUnit.MILLISECONDS);
    }
  }

  private void retry() {
    retry = null;
    afterwards(applier.reconcile());
  }

  private void cancelRetry() {
    if (retry != null) {
      retry.cancel(false);
      retry = null;
    }
  }

  private RegistryClient client(String registry) {
    boolean plain = config.registry().plainHttp().orElse(List.of()).contains(registry);
    return clients.computeIfAbsent(
        registry,
        host ->
            RegistryClient.builder(host)
                .plainHttp(plain)
                .idleTimeout(config.registry().idleTimeout())
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
