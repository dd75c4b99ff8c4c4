package dev.ferry.agent.sync;

import dev.ferry.agent.config.AgentConfig;
import dev.ferry.agent.fetch.ArtifactFetcher;
import dev.ferry.agent.fetch.Backoff;
import dev.ferry.agent.fetch.RegistryLogins;
import dev.ferry.agent.identity.DeviceCredential;
import dev.ferry.agent.identity.Identity;
import dev.ferry.agent.runtime.Models;
import dev.ferry.agent.runtime.ProviderSettings;
import dev.ferry.agent.runtime.ProviderSetup;
import dev.ferry.agent.runtime.Rollback;
import dev.ferry.agent.runtime.UsableProviders;
import dev.ferry.agent.store.AgentState;
import dev.ferry.agent.store.ContentStore;
import dev.ferry.agent.store.StateFile;
import dev.ferry.agent.telemetry.ServingMeters;
import dev.ferry.agent.telemetry.TelemetrySender;
import dev.ferry.agent.trust.DesiredStateVerifier;
import dev.ferry.agent.trust.RevocationStore;
import dev.ferry.agent.trust.RootFollower;
import dev.ferry.agent.trust.TrustStore;
import dev.ferry.protocol.device.BrokerUrl;
import dev.ferry.protocol.device.Channel;
import dev.ferry.protocol.device.Labels;
import dev.ferry.protocol.device.TrustTopics;
import dev.ferry.protocol.json.JsonCodec;
import dev.ferry.protocol.registry.Credentials;
import dev.ferry.protocol.registry.RegistryClient;
import dev.ferry.protocol.registry.TransferLimits;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Quarkus;
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
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.jboss.logging.Logger;

/**
 * Starts the agent: restores the cached versions (serving offline within seconds; the HTTP server
 * answers meanwhile, and the models still loading answer 503), resumes what the accepted desired
 * state still lacks, connects to the broker in the background and applies each desired state on one
 * worker thread ({@link ApplyQueue}: the newest waits, older ones are dropped); installs that could
 * not reach the registry, and any failure of the applier, are retried there with backoff until they
 * succeed or a newer desired state replaces them.
 */
@ApplicationScoped
public class AgentLifecycle {
  private static final Logger LOG = Logger.getLogger(AgentLifecycle.class);

  /** The agent's version, reported to the hub. */
  public static final String VERSION = "0.1.0";

  @Inject AgentConfig config;
  @Inject Models models;
  @Inject ContentStore store;
  @Inject StateFile stateFile;
  @Inject Instance<TrustStore> trust;
  @Inject Identity identity;
  @Inject ServingMeters meters;
  @Inject UsableProviders usable;
  @Inject ProviderSettings providerSettings;
  @Inject MeterRegistry registry;

  private final Map<String, RegistryClient> clients = new ConcurrentHashMap<>();
  private RegistryLogins logins;
  private TransferLimits limits;

  /** Undelivered events kept while the broker is unreachable. */
  static final int EVENT_QUEUE = 10_000;

  private final ScheduledExecutorService applying =
      Executors.newSingleThreadScheduledExecutor(Threads.daemon("ferry-apply"));
  private final ExecutorService downloads =
      Executors.newFixedThreadPool(4, Threads.daemon("ferry-fetch"));
  private AgentMqtt mqtt;
  private BackgroundReporter reporting;
  private final ScheduledExecutorService telemetryTimer =
      Executors.newSingleThreadScheduledExecutor(Threads.daemon("ferry-telemetry"));
  private volatile Applier applier;
  private ApplyQueue queue;
  private volatile Freshness freshness;
  private TelemetrySender telemetry;

  void start(@Observes StartupEvent event) throws IOException, MqttException {
    if (!config.syncEnabled()) {
      return;
    }
    long began = System.nanoTime();
    AgentState saved = stateFile.load();
    models.restoring(saved.models().keySet());
    ProviderSetup providers = providers();
    // the cache loads first on the apply thread, while the agent's trust, broker and reports are
    // set up and Quarkus finishes starting; the agent is started and ready once it serves, and
    // until then its models answer 503
    CompletableFuture<List<CacheRestore.Restored>> cached =
        CompletableFuture.supplyAsync(
            () -> CacheRestore.of(store, providers, models).load(saved, CacheRestore.threads()),
            applying);
    TrustStore trustStore = trust.get();
    logins = logins();
    limits = transferLimits();
    String deviceId = DeviceIdentity.of(config);
    Map<String, String> labels = Labels.check(config.labels(), "ferry.agent.labels");
    String broker = BrokerUrl.check(config.mqtt().url(), "ferry.agent.mqtt.url");
    mqtt = new AgentMqtt(broker, deviceId, VERSION, config.dataDir(), this::onDesired);
    MqttReporter reporter = MqttReporter.over(mqtt, EVENT_QUEUE);
    freshness = Freshness.restore(config.trust().staleAfter(), Clock.systemUTC(), config.dataDir());
    reporting = new BackgroundReporter(reporter, Threads.daemon("ferry-report"));
    Applier created = applier(deviceId, labels, trustStore, reporting, providers);
    applying.execute(() -> serveCache(created, saved, cached, began));
    queue = new ApplyQueue(applying, Backoff.RESUME, new Applying(created));
    FunctionCounter.builder("ferry.mqtt.oversize", mqtt, AgentMqtt::oversizeMessages)
        .description("MQTT messages over the agent's limit, read past and never delivered")
        .register(registry);
    mqtt.subscribe(TrustTopics.REVOCATIONS, this::onRevocations);
    mqtt.onRoots(this::onRoots);
    long check = freshness.checkEvery().toMillis();
    applying.scheduleWithFixedDelay(created::checkFreshness, check, check, TimeUnit.MILLISECONDS);
    mqtt.onConnect(reporter::reconnected);
    startTelemetry(deviceId, reporter);
    identity.obtain(deviceId, credential -> sync(created, credential), mqtt::reconnect);
  }

  private void serveCache(
      Applier created,
      AgentState saved,
      CompletableFuture<List<CacheRestore.Restored>> cached,
      long began) {
    try {
      created.serveCache(saved, cached.join());
      applier = created;
      long ms = (System.nanoTime() - began) / 1_000_000;
      if (models.names().isEmpty()) {
        LOG.infof("no model in the cache to serve yet; waiting for a desired state (%d ms)", ms);
      } else {
        LOG.infof("serving %s from the cache (%d ms)", models.names(), ms);
      }
    } catch (RuntimeException e) {
      LOG.error("cannot serve the cached versions; the agent stops", e);
      Quarkus.asyncExit(1);
    }
  }

  /** Once the identity is there (at once, or after enrollment): connects and reconciles. */
  private void sync(Applier created, Optional<DeviceCredential> credential) {
    if (config.mqtt().url().startsWith("ssl://")) {
      mqtt.tls(identity.tls());
    }
    credential.ifPresentOrElse(
        device -> mqtt.credentials(device.deviceId(), device.password().toCharArray()),
        () ->
            config
                .mqtt()
                .username()
                .ifPresent(
                    user ->
                        mqtt.credentials(user, config.mqtt().password().orElse("").toCharArray())));
    mqtt.start();
    queue.reconcile();
  }

  private ProviderSetup providers() {
    return new ProviderSetup(
        config.executionProviders(),
        usable,
        providerSettings,
        config.precisions().orElse(List.of()));
  }

  private Applier applier(
      String deviceId,
      Map<String, String> labels,
      TrustStore trustStore,
      Reporter reporter,
      ProviderSetup providers) {
    return new Applier(
        new Applier.Parts(
            deviceId,
            VERSION,
            labels,
            providers,
            new DesiredStateVerifier(trustStore::root, new JsonCodec()),
            new ArtifactFetcher(store, this::client, Backoff.DEFAULT, downloads),
            store,
            stateFile,
            models,
            reporter,
            new RootFollower(
                trustStore,
                new dev.ferry.protocol.json.JsonCodec(),
                config.trust().maxChainSteps()),
            Clock.systemUTC(),
            RevocationStore.load(trustStore::root, config.dataDir(), new JsonCodec()),
            freshness,
            () -> queue != null && queue.waiting()));
  }

  private void startTelemetry(String deviceId, MqttReporter reporter) {
    checkTelemetryConfig();
    telemetry =
        TelemetrySender.of(
            deviceId,
            meters,
            config.dataDir(),
            usable.names(),
            config.telemetry().journalMaxBytes(),
            new TelemetryLink(mqtt));
    long interval = config.telemetry().interval().toMillis();
    telemetryTimer.scheduleAtFixedRate(telemetry::tick, interval, interval, TimeUnit.MILLISECONDS);
    mqtt.onReceipts(new ReceiptRouter(deviceId, telemetry::receipt, reporter::receipt)::accept);
    // events not receipted go out again, like batches
    telemetryTimer.scheduleWithFixedDelay(
        reporter::flush, interval, interval, TimeUnit.MILLISECONDS);
    mqtt.onConnect(() -> telemetryTimer.execute(telemetry::reconnected));
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

  /** The applier once the cached state is restored; empty before, and when sync is off. */
  public Optional<Applier> applier() {
    return Optional.ofNullable(applier);
  }

  /** Whether desired states are fresh; empty before start, and when sync is off. */
  public Optional<Freshness> freshness() {
    return Optional.ofNullable(freshness);
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
    if (reporting != null) {
      reporting.close();
    }
    if (mqtt != null) {
      mqtt.close();
    }
    clients.values().forEach(RegistryClient::close);
  }

  private void onDesired(byte[] payload) {
    queue.offer(payload);
  }

  private void onRevocations(byte[] payload) {
    queue.submit(() -> applier.revocations(payload));
  }

  private void onRoots(byte[] payload) {
    queue.submit(() -> applier.followRoots(payload));
  }

  /** The applier as the queue drives it. */
  private record Applying(Applier applier) implements ApplyQueue.Target {
    @Override
    public boolean apply(byte[] payload) {
      return applier.apply(payload);
    }

    @Override
    public boolean reconcile() {
      return applier.reconcile();
    }

    @Override
    public void failed(RuntimeException failure) {
      applier.failed(failure);
    }
  }

  private RegistryClient client(String registry) {
    boolean plain = config.registry().plainHttp().orElse(List.of()).contains(registry);
    return clients.computeIfAbsent(
        registry,
        host ->
            RegistryClient.builder(host)
                .plainHttp(plain)
                .transferLimits(limits)
                .credentials(logins.forRegistry(host, plain))
                .build());
  }

  private TransferLimits transferLimits() {
    var registry = config.registry();
    try {
      return new TransferLimits(
          registry.idleTimeout(),
          registry.minBytesPerWindow(),
          registry.throughputWindow(),
          registry.downloadDeadline());
    } catch (IllegalArgumentException e) {
      throw new IllegalStateException(
          "ferry.agent.registry.idle-timeout, .min-bytes-per-window, .throughput-window and"
              + " .download-deadline: "
              + e.getMessage(),
          e);
    }
  }

  private RegistryLogins logins() throws IOException {
    var registry = config.registry();
    return new RegistryLogins(
        config.hubUrl().map(RegistryLogins::authority),
        () ->
            identity
                .credential()
                .map(device -> Credentials.basic(device.deviceId(), device.password())),
        RegistryLogins.configured(
            registry.username(), registry.passwordFile(), registry.tokenFile()),
        Credentials.dockerConfig());
  }
}
