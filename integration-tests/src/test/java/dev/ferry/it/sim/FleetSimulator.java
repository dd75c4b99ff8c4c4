package dev.ferry.it.sim;

import dev.ferry.it.identity.DeviceIdentity;
import dev.ferry.protocol.device.Channel;
import dev.ferry.protocol.device.DesiredState;
import dev.ferry.protocol.device.DeviceMetrics;
import dev.ferry.protocol.device.ModelAssignment;
import dev.ferry.protocol.device.ModelReport;
import dev.ferry.protocol.device.ModelStatus;
import dev.ferry.protocol.device.ReportedState;
import dev.ferry.protocol.device.TelemetryBatch;
import dev.ferry.protocol.device.Topic;
import dev.ferry.protocol.device.VersionInfo;
import dev.ferry.protocol.json.JsonCodec;
import dev.ferry.protocol.release.ReleaseStatement;
import dev.ferry.protocol.signing.TrustRoot;
import dev.ferry.protocol.testing.SimulatedAgent;
import dev.ferry.protocol.testing.TelemetryBatches;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.mqtt.MqttClient;
import io.vertx.mqtt.MqttClientOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * Many simulated devices in one process: lightweight Vert.x MQTT clients on two event loops (no
 * thread per device), each sending a real {@code ferry.telemetry/v1} batch at QoS 1 once per period
 * with its own increasing {@code seq}. Counts what it sent and what the broker acknowledged. Each
 * acts on its desired states as an agent would, through {@link SimulatedAgent} (shared with the
 * hub's tests).
 */
public final class FleetSimulator implements AutoCloseable {
  private static final JsonCodec CODEC = new JsonCodec();

  // one INFO line per connection from Vert.x's MQTT client drowns the output of 10,000 devices;
  // held in a field, since JUL keeps its loggers weakly and would forget the level
  private static final java.util.logging.Logger VERTX_MQTT_LOG = quiet("io.vertx.mqtt");

  private static java.util.logging.Logger quiet(String name) {
    java.util.logging.Logger logger = java.util.logging.Logger.getLogger(name);
    logger.setLevel(java.util.logging.Level.WARNING);
    return logger;
  }

  private final Vertx vertx =
      Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2).setWorkerPoolSize(2));
  private final String host;
  private final int port;
  private final String prefix;
  private final List<Device> devices = new ArrayList<>();
  private final AtomicLong sent = new AtomicLong();
  private final AtomicLong acked = new AtomicLong();
  private final AtomicLong requestsSent = new AtomicLong();
  private final AtomicLong refused = new AtomicLong();
  private final Function<String, DeviceIdentity> identities;
  private long enrollingNanos;

  /**
   * @param host the broker's host
   * @param port the broker's port
   * @param prefix device ids are {@code <prefix>-<n>}
   */
  public FleetSimulator(String host, int port, String prefix) {
    this(host, port, prefix, null);
  }

  /**
   * Devices on a TLS broker, each with its own identity (a client certificate, and the password the
   * hub's embedded broker asks for).
   *
   * @param identities gives each device id its identity (enrolls it), called from several threads
   */
  public FleetSimulator(
      String host, int port, String prefix, Function<String, DeviceIdentity> identities) {
    this.host = host;
    this.port = port;
    this.prefix = prefix;
    this.identities = identities;
  }

  private final class Device {
    final String id;
    final MqttClient client;
    final Map<String, VersionInfo> serving = new ConcurrentHashMap<>();
    final AtomicInteger desiredReceived = new AtomicInteger();
    final Set<Long> desiredSequences = ConcurrentHashMap.newKeySet();
    volatile Map<String, String> labels = Map.of();
    long seq;
    long timer = -1;

    Device(String id, DeviceIdentity identity) {
      this.id = id;
      this.client =
          MqttClient.create(
              vertx,
              tls(
                  new MqttClientOptions()
                      .setClientId(id)
                      .setCleanSession(true)
                      .setMaxInflightQueue(64)
                      .setKeepAliveInterval(60)
                      .setAutoKeepAlive(true),
                  identity));
      client.publishCompletionHandler(packetId -> acked.incrementAndGet());
    }

    void send(String model, String version) {
      long requests = 10;
      TelemetryBatch batch =
          TelemetryBatches.of(
              id,
              ++seq,
              model,
              version,
              requests,
              0,
              new DeviceMetrics(0.2, 150L << 20, 10L << 30, List.of()));
      publishTelemetry(batch, requests);
    }

    /** Publishes what it serves, retained, as an agent does on every change. */
    void report(long desiredSequence, List<ModelReport> models) {
      ReportedState state = SimulatedAgent.reported(id, desiredSequence, "sim", labels, models);
      client.publish(
          new Topic(id, Channel.REPORTED).toString(),
          Buffer.buffer(CODEC.encode(state)),
          MqttQoS.AT_LEAST_ONCE,
          false,
          true);
    }

    /** Acts on a desired state as an agent would: each model ACTIVE, or FAILED by the behaviour. */
    void apply(TrustRoot root, Behaviour behaviour, byte[] payload) {
      DesiredState state = SimulatedAgent.verify(root, payload);
      desiredReceived.incrementAndGet();
      desiredSequences.add(state.sequence());
      List<ModelReport> reports = new ArrayList<>();
      for (ModelAssignment assignment : state.models()) {
        ReleaseStatement release = SimulatedAgent.release(root, assignment);
        String version = release.predicate().version();
        String failure = behaviour.failure(id, labels, assignment.name(), version);
        if (failure == null) {
          serving.put(assignment.name(), SimulatedAgent.installed(release));
        }
        reports.add(
            new ModelReport(
                assignment.name(),
                failure == null ? ModelStatus.ACTIVE : ModelStatus.FAILED,
                version,
                serving.get(assignment.name()),
                null,
                failure));
      }
      report(state.sequence(), reports);
    }

    /** One telemetry batch for each model it serves. */
    void serve(Behaviour behaviour) {
      serving.forEach(
          (model, version) -> {
            long errors = behaviour.errors(id, model, version.version());
            publishTelemetry(
                TelemetryBatches.of(id, ++seq, model, version.version(), 10, errors, null), 10);
          });
    }

    void publishTelemetry(TelemetryBatch batch, long requests) {
      if (client.isConnected()) {
        // a publish the client refuses (its in-flight window is full) is a batch not sent
        client
            .publish(
                new Topic(id, Channel.TELEMETRY).toString(),
                Buffer.buffer(CODEC.encode(batch)),
                MqttQoS.AT_LEAST_ONCE,
                false,
                false)
            .onSuccess(
                packetId -> {
                  sent.incrementAndGet();
                  requestsSent.addAndGet(requests);
                })
            .onFailure(e -> refused.incrementAndGet());
      }
    }
  }

  /** How simulated devices fare with the releases they are sent. */
  public interface Behaviour {
    /**
     * Whether installing a version fails on a device.
     *
     * @param deviceId the device
     * @param labels its labels
     * @param model the model
     * @param version the version
     * @return the failure reason, or null when the version becomes ACTIVE
     */
    String failure(String deviceId, Map<String, String> labels, String model, String version);

    /**
     * How many of the 10 requests a batch reports fail on a version.
     *
     * @param deviceId the device
     * @param model the model
     * @param version the version it serves
     * @return failed requests, 0 to 10
     */
    long errors(String deviceId, String model, String version);
  }

  /** Every release installs, nothing fails. */
  public static final Behaviour HEALTHY =
      new Behaviour() {
        @Override
        public String failure(
            String deviceId, Map<String, String> labels, String model, String version) {
          return null;
        }

        @Override
        public long errors(String deviceId, String model, String version) {
          return 0;
        }
      };

  /**
   * Each device reports itself with labels (retained), as an agent does when it connects.
   *
   * @param labels the labels of the n-th device
   */
  public void register(java.util.function.IntFunction<Map<String, String>> labels) {
    for (int i = 0; i < devices.size(); i++) {
      Device device = devices.get(i);
      device.labels = labels.apply(i);
      device.report(0, List.of());
    }
  }

  /**
   * Devices subscribe to their desired state and act on each as an agent would: verify it against
   * the trust root, install (or fail) by the behaviour, report.
   *
   * @param root the hub's trust root
   * @param behaviour how they fare
   */
  public void follow(TrustRoot root, Behaviour behaviour) throws Exception {
    List<Future<?>> subscribing = new ArrayList<>();
    for (Device device : devices) {
      device.client.publishHandler(
          message -> {
            if (message.topicName().endsWith("/desired") && message.payload().length() > 0) {
              device.apply(root, behaviour, message.payload().getBytes());
            }
          });
      subscribing.add(device.client.subscribe(new Topic(device.id, Channel.DESIRED).toString(), 1));
    }
    Future.all(subscribing).toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
  }

  /**
   * Each device sends a batch per period for every model it serves, with the behaviour's errors.
   *
   * @param period the period
   * @param behaviour how many requests fail
   */
  public void serve(Duration period, Behaviour behaviour) {
    long millis = period.toMillis();
    for (Device device : devices) {
      device.timer = vertx.setPeriodic(millis, tick -> device.serve(behaviour));
    }
  }

  /** Device ids, in the order they connected. */
  public List<String> ids() {
    return devices.stream().map(d -> d.id).toList();
  }

  /**
   * Distinct desired states (by sequence) each device received, by id: a state delivered twice
   * (published again by a replica that took over before it was marked published) counts once.
   */
  public Map<String, Integer> distinctDesiredReceived() {
    Map<String, Integer> received = new java.util.TreeMap<>();
    devices.forEach(d -> received.put(d.id, d.desiredSequences.size()));
    return received;
  }

  /** Desired states each device received, by id. */
  public Map<String, Integer> desiredReceived() {
    Map<String, Integer> received = new java.util.TreeMap<>();
    devices.forEach(d -> received.put(d.id, d.desiredReceived.get()));
    return received;
  }

  /** The version of a model a device serves, or null. */
  public String serving(String deviceId, String model) {
    return devices.stream()
        .filter(d -> d.id.equals(deviceId))
        .findFirst()
        .map(d -> d.serving.get(model))
        .map(VersionInfo::version)
        .orElse(null);
  }

  /**
   * Connects more devices, 200 at a time, numbered on from those already connected (a device id
   * used twice would reuse its {@code seq} numbers and take over the other's connection).
   *
   * @param count how many more
   */
  public void connect(int count) throws Exception {
    int first = devices.size();
    int end = first + count;
    for (int i = first; i < end; i += 200) {
      List<String> ids = new ArrayList<>();
      for (int j = i; j < Math.min(end, i + 200); j++) {
        ids.add(prefix + "-" + j);
      }
      List<Future<?>> connecting = new ArrayList<>();
      for (Map.Entry<String, DeviceIdentity> id : identities(ids).entrySet()) {
        Device device = new Device(id.getKey(), id.getValue());
        devices.add(device);
        connecting.add(device.client.connect(port, host));
      }
      Future.all(connecting).toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    }
  }

  /**
   * Wall time spent enrolling devices so far (each one: a new EC key pair, a CSR, the hub's answer
   * with its certificate), 16 at a time; zero on a plain broker.
   */
  public Duration enrollmentTime() {
    return Duration.ofNanos(enrollingNanos);
  }

  /** Each id's identity (null on a plain broker), made 16 at a time, in the order given. */
  private Map<String, DeviceIdentity> identities(List<String> ids) throws Exception {
    Map<String, DeviceIdentity> all = new java.util.LinkedHashMap<>();
    ids.forEach(id -> all.put(id, null));
    if (identities == null) {
      return all;
    }
    long start = System.nanoTime();
    try {
      return enroll(ids, all);
    } finally {
      enrollingNanos += System.nanoTime() - start;
    }
  }

  private Map<String, DeviceIdentity> enroll(List<String> ids, Map<String, DeviceIdentity> all)
      throws Exception {
    java.util.concurrent.ExecutorService pool =
        java.util.concurrent.Executors.newFixedThreadPool(16);
    try {
      Map<String, java.util.concurrent.Future<DeviceIdentity>> made = new HashMap<>();
      ids.forEach(id -> made.put(id, pool.submit(() -> identities.apply(id))));
      for (String id : ids) {
        all.put(id, made.get(id).get(60, TimeUnit.SECONDS));
      }
    } finally {
      pool.shutdownNow();
    }
    return all;
  }

  /** TLS with the device's key, certificate, trusted CAs and password; plain without identity. */
  private static MqttClientOptions tls(MqttClientOptions options, DeviceIdentity identity) {
    if (identity == null) {
      return options;
    }
    options
        .setSsl(true)
        .setHostnameVerificationAlgorithm("HTTPS")
        .setKeyCertOptions(
            new PemKeyCertOptions()
                .setKeyValue(Buffer.buffer(identity.keyPem()))
                .setCertValue(Buffer.buffer(identity.chainPem())))
        .setTrustOptions(new PemTrustOptions().addCertValue(Buffer.buffer(identity.trustedPem())));
    if (identity.password() != null) {
      options.setUsername(identity.name()).setPassword(identity.password());
    }
    return options;
  }

  /**
   * Each device sends one batch per period, spread evenly over it, until {@link #stop()}.
   *
   * @param period the period
   * @param model the model the batches count requests of
   * @param version its version
   */
  public void start(Duration period, String model, String version) {
    long millis = period.toMillis();
    for (int i = 0; i < devices.size(); i++) {
      Device device = devices.get(i);
      long offset = 1 + (millis * i) / Math.max(1, devices.size());
      vertx.setTimer(
          offset,
          first -> device.timer = vertx.setPeriodic(millis, tick -> device.send(model, version)));
    }
  }

  /** Stops sending; the devices stay connected. */
  public void stop() {
    for (Device device : devices) {
      if (device.timer >= 0) {
        vertx.cancelTimer(device.timer);
      }
    }
  }

  /** Devices whose connection is up now. */
  public long connected() {
    return devices.stream().filter(d -> d.client.isConnected()).count();
  }

  /** Publishes the client refused, its in-flight window full: not sent, so not counted. */
  public long refused() {
    return refused.get();
  }

  /** Batches sent so far. */
  public long sent() {
    return sent.get();
  }

  /** Batches the broker acknowledged so far. */
  public long acked() {
    return acked.get();
  }

  /** Requests the sent batches counted, 10 each. */
  public long requestsSent() {
    return requestsSent.get();
  }

  @Override
  public void close()
      throws java.util.concurrent.ExecutionException, java.util.concurrent.TimeoutException {
    stop();
    List<Future<?>> closing = new ArrayList<>();
    for (Device device : devices) {
      if (device.client.isConnected()) {
        closing.add(device.client.disconnect());
      }
    }
    try {
      Future.join(closing).toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
      vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
