package dev.ferry.it.bench;

import dev.ferry.it.fleet.JarProcess;
import dev.ferry.it.fleet.Oip;
import dev.ferry.it.fleet.Wire;
import dev.ferry.protocol.device.DeviceEvent;
import dev.ferry.protocol.device.EventType;
import dev.ferry.protocol.registry.RegistryClient;
import dev.ferry.protocol.testing.Services;
import dev.ferry.protocol.testing.TestHub;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One agent process on real Mosquitto and a real Distribution registry, with the test in the hub's
 * place (it signs releases and desired states): what the agent benchmarks share.
 */
final class AgentRig implements AutoCloseable {
  final TestHub hub = new TestHub();
  final String registry;
  final int registryPort;
  final RegistryClient client;
  final Path dir;
  final String device = "edge-bench-" + System.nanoTime();
  private final Map<String, String> env = new HashMap<>();
  private final Wire wire;
  private JarProcess agent;
  private Oip oip;
  private long sequence;
  private int starts;

  AgentRig(Path dir, String... extraPlainHttpRegistries) throws Exception {
    this.dir = Files.createDirectories(dir);
    Map<String, String> services = Services.start("mosquitto", "registry");
    registry = services.get("FERRY_REGISTRY");
    registryPort = Integer.parseInt(registry.substring(registry.indexOf(':') + 1));
    client = RegistryClient.builder(registry).plainHttp(true).build();
    wire = new Wire(services.get("FERRY_MQTT_URL"), device);
    env.put("FERRY_AGENT_DEVICE_ID", device);
    env.put(
        "FERRY_AGENT_TRUST_ROOT",
        Files.write(dir.resolve("root.json"), hub.signedRoot()).toString());
    env.put("FERRY_AGENT_MQTT_URL", services.get("FERRY_MQTT_URL"));
    StringBuilder plain = new StringBuilder(registry);
    for (String extra : extraPlainHttpRegistries) {
      plain.append(',').append(extra);
    }
    env.put("FERRY_AGENT_REGISTRY_PLAIN_HTTP", plain.toString());
  }

  /** Publishes a {@code [1,n] → [1,m]} model release to the registry. */
  TestHub.Release publish(String model, String version, int[] shape, long seed) throws Exception {
    return hub.publish(
        client,
        registry,
        "bench/" + device,
        model,
        version,
        Long.parseLong(version.substring(0, version.indexOf('.'))),
        shape,
        seed,
        TestHub.Flaw.NONE,
        dir);
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
    return start();
  }

  /** Starts the agent again on its last cache, with other settings. */
  JarProcess restart(Map<String, String> overrides, List<String> jvmOptions) throws Exception {
    stop();
    Map<String, String> changed = new HashMap<>(env);
    changed.putAll(overrides);
    agent =
        JarProcess.start(
            "agent", changed, dir.resolve("agent.log"), JarProcess.freePort(), jvmOptions);
    oip = new Oip(agent);
    return agent;
  }

  private JarProcess start() throws Exception {
    agent = JarProcess.start("agent", env, dir.resolve("agent.log"));
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
  }
}
