package dev.ferry.it.bench;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import dev.ferry.it.fleet.JarProcess;
import dev.ferry.it.fleet.Oip;
import dev.ferry.it.fleet.Wire;
import dev.ferry.it.identity.SecureMosquitto;
import dev.ferry.protocol.device.DeviceEvent;
import dev.ferry.protocol.device.EventType;
import dev.ferry.protocol.registry.RegistryClient;
import dev.ferry.protocol.release.Datatype;
import dev.ferry.protocol.release.GoldenCase;
import dev.ferry.protocol.release.GoldenVectors;
import dev.ferry.protocol.release.ServingSpec;
import dev.ferry.protocol.release.SessionHints;
import dev.ferry.protocol.release.Tensor;
import dev.ferry.protocol.release.TensorSpec;
import dev.ferry.protocol.testing.Services;
import dev.ferry.protocol.testing.TestHub;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One agent process on real Mosquitto and a real Distribution registry, with the test in the hub's
 * place (it signs releases and desired states): what the agent benchmarks share. The agent runs on
 * the systemd unit's JVM options and malloc settings ({@link DeployedJvm}).
 */
final class AgentRig implements AutoCloseable {
  private static final OrtEnvironment ORT = OrtEnvironment.getEnvironment();
  final TestHub hub = new TestHub();
  final String registry;
  final int registryPort;
  final RegistryClient client;
  final Path dir;
  final String device = "edge-bench-" + System.nanoTime();
  private final Map<String, String> env = new HashMap<>();
  private final DeployedJvm jvm = DeployedJvm.forBenchmarks();
  private final SecureMosquitto mosquitto;
  private final Wire wire;
  private JarProcess agent;
  private Oip oip;
  private long sequence;
  private int starts;

  AgentRig(Path dir, String... extraPlainHttpRegistries) throws Exception {
    this.dir = Files.createDirectories(dir);
    Map<String, String> services = Services.start("registry");
    mosquitto = SecureMosquitto.start(dir.resolve("mosquitto"));
    registry = services.get("FERRY_REGISTRY");
    registryPort = Integer.parseInt(registry.substring(registry.indexOf(':') + 1));
    client = RegistryClient.builder(registry).plainHttp(true).build();
    wire = new Wire(mosquitto.hubUrl(), device, mosquitto.hubIdentity());
    env.putAll(jvm.environment());
    env.put("FERRY_AGENT_DEVICE_ID", device);
    env.put(
        "FERRY_AGENT_TRUST_ROOT",
        Files.write(dir.resolve("root.json"), hub.signedRoot()).toString());
    env.put("FERRY_AGENT_MQTT_URL", mosquitto.deviceUrl());
    StringBuilder plain = new StringBuilder(registry);
    for (String extra : extraPlainHttpRegistries) {
      plain.append(',').append(extra);
    }
    env.put("FERRY_AGENT_REGISTRY_PLAIN_HTTP", plain.toString());
  }

  /**
   * Publishes a version of a model as the hub would: the file tagged with the version (so each
   * version is its own blob), the serving spec read from the model's own signature, golden vectors
   * from one run of the benchmark's input, raw as the hub packages them.
   */
  TestHub.Release publish(BenchModel model, String version) throws Exception {
    byte[] bytes =
        OnnxFiles.tagged(
            Files.readAllBytes(model.file()), "ferry benchmark " + model.name() + " " + version);
    Path file = Files.write(modelFile(model.name(), version), bytes);
    ServingSpec serving;
    GoldenVectors golden;
    try (OrtSession.SessionOptions options = new OrtSession.SessionOptions();
        OrtSession session = ORT.createSession(file.toString(), options);
        OnnxTensor x = model.tensor(ORT);
        OrtSession.Result result = session.run(Map.of(model.input(), x))) {
      List<TensorSpec> outputs = new ArrayList<>();
      List<Tensor> expected = new ArrayList<>();
      for (Map.Entry<String, OnnxValue> output : result) {
        OnnxTensor tensor = (OnnxTensor) output.getValue();
        outputs.add(spec(output.getKey(), session.getOutputInfo().get(output.getKey())));
        expected.add(tensor(output.getKey(), tensor.getInfo().getShape(), tensor.getFloatBuffer()));
      }
      serving =
          new ServingSpec(
              model.name(),
              version,
              ServingSpec.ONNX_PLATFORM,
              OnnxFiles.opset(bytes),
              List.of(spec(model.input(), session.getInputInfo().get(model.input()))),
              outputs,
              List.of(),
              SessionHints.NONE);
      FloatBuffer input = FloatBuffer.wrap(model.data());
      golden =
          new GoldenVectors(
              List.of(
                  new GoldenCase(List.of(tensor(model.input(), model.shape(), input)), expected)),
              Map.of());
    }
    return hub.publishModel(
        client,
        registry,
        "bench/" + device,
        Long.parseLong(version.substring(0, version.indexOf('.'))),
        bytes,
        serving,
        golden,
        null);
  }

  private static TensorSpec spec(String name, NodeInfo node) {
    if (!(node.getInfo() instanceof TensorInfo info) || info.type != OnnxJavaType.FLOAT) {
      throw new IllegalArgumentException(name + " is not an FP32 tensor: " + node.getInfo());
    }
    return new TensorSpec(name, Datatype.FP32, Arrays.stream(info.getShape()).boxed().toList());
  }

  /** A raw FP32 tensor, as the hub packages golden vectors: the elements' little-endian bytes. */
  private static Tensor tensor(String name, long[] shape, FloatBuffer data) {
    ByteBuffer bytes = ByteBuffer.allocate(4 * data.remaining()).order(ByteOrder.LITTLE_ENDIAN);
    bytes.asFloatBuffer().put(data.duplicate());
    return Tensor.ofRaw(name, Datatype.FP32, Arrays.stream(shape).boxed().toList(), bytes.array());
  }

  /** The model file that {@link #publish} wrote. */
  Path modelFile(String model, String version) {
    return dir.resolve(model + "-" + version + ".onnx");
  }

  /** Starts the agent on an empty cache (stopping one that runs). */
  JarProcess startFresh() throws Exception {
    stop();
    if (starts > 0) {
      Services.deleteTree(dir.resolve("agent-" + starts));
    }
    // a new device as far as the broker knows: no desired state retained from the last run
    wire.clearRetained();
    env.put("FERRY_AGENT_DATA_DIR", dir.resolve("agent-" + ++starts).toString());
    mosquitto.provision(dir.resolve("agent-" + starts), device);
    return start();
  }

  /** Starts the agent again on its last cache, with other settings. */
  JarProcess restart(Map<String, String> overrides, List<String> jvmOptions) throws Exception {
    stop();
    Map<String, String> changed = new HashMap<>(env);
    changed.putAll(overrides);
    List<String> options = new ArrayList<>(jvm.options());
    options.addAll(jvmOptions);
    agent =
        JarProcess.start(
            "agent", changed, dir.resolve("agent.log"), JarProcess.freePort(), options);
    oip = new Oip(agent);
    return agent;
  }

  private JarProcess start() throws Exception {
    agent =
        JarProcess.start(
            "agent", env, dir.resolve("agent.log"), JarProcess.freePort(), jvm.options());
    oip = new Oip(agent);
    return agent;
  }

  /** Sends a desired state with these releases; returns the event mark taken before. */
  int assign(TestHub.Release... releases) throws Exception {
    int mark = wire.mark();
    var assignments = java.util.Arrays.stream(releases).map(hub::assign).toList();
    wire.publish(
        hub.desired(
            device,
            ++sequence,
            assignments.toArray(dev.ferry.protocol.device.ModelAssignment[]::new)));
    return mark;
  }

  /**
   * Sends a desired state that assigns one release and prefetches another; returns the event mark
   * taken before.
   */
  int prefetch(TestHub.Release assigned, TestHub.Release ahead) throws Exception {
    int mark = wire.mark();
    java.time.Instant now = java.time.Instant.now();
    wire.publish(
        hub.desired(
            new dev.ferry.protocol.device.DesiredState(
                device,
                ++sequence,
                now.minus(Duration.ofMinutes(1)),
                now.plus(Duration.ofHours(1)),
                List.of(hub.assign(assigned)),
                List.of(hub.assign(ahead)))));
    return mark;
  }

  /** The first event of a type after a mark, within a timeout. */
  DeviceEvent await(int mark, EventType type, String version, Duration timeout) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      for (DeviceEvent event : wire.since(mark)) {
        if (event.type() == type && (version == null || version.equals(event.version()))) {
          return event;
        }
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError(
            "no " + type + " " + version + " within " + timeout + "; got " + wire.since(mark));
      }
      TimeUnit.MILLISECONDS.sleep(20);
    }
  }

  /** The settings the agent is started with (its environment variables). */
  Map<String, String> environment() {
    return Map.copyOf(env);
  }

  Oip oip() {
    return oip;
  }

  JarProcess agent() {
    return agent;
  }

  void stop() {
    if (agent != null) {
      agent.close();
      agent = null;
    }
  }

  @Override
  public void close() throws Exception {
    stop();
    wire.close();
    client.close();
    mosquitto.close();
  }
}
