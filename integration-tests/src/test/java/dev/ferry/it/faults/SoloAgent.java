package dev.ferry.it.faults;

import dev.ferry.it.fleet.JarProcess;
import dev.ferry.it.fleet.Wire;
import dev.ferry.it.identity.SecureMosquitto;
import dev.ferry.protocol.registry.RegistryClient;
import dev.ferry.protocol.testing.CuttingProxy;
import dev.ferry.protocol.testing.Services;
import dev.ferry.protocol.testing.TestHub;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * One agent process on real Mosquitto and the Distribution registry (reached through a proxy that
 * can throttle it), with the test in the hub's place: it publishes releases of generated models and
 * signs the desired states that assign them.
 */
final class SoloAgent implements AutoCloseable {
  static final String MODEL = "fault";

  final TestHub hub = new TestHub();
  final String device = "edge-fault-" + System.nanoTime();
  final Path dir;
  final Path dataDir;
  final CuttingProxy registry;
  final Wire wire;
  private final Map<String, String> env = new HashMap<>();
  private final Map<String, TestHub.Release> releases = new HashMap<>();
  private final RegistryClient client;
  private final SecureMosquitto mosquitto;
  private JarProcess agent;
  private long sequence;
  private int starts;

  /**
   * @param dir the test's folder
   * @param dataDir the agent's data directory (created if missing)
   */
  SoloAgent(Path dir, Path dataDir) throws Exception {
    this.dir = dir;
    this.dataDir = Files.createDirectories(dataDir);
    String registryAddress = Services.start("registry").get("FERRY_REGISTRY");
    mosquitto = SecureMosquitto.start(dir.resolve("mosquitto"));
    client = RegistryClient.builder(registryAddress).plainHttp(true).build();
    registry =
        new CuttingProxy(
            Integer.parseInt(registryAddress.replaceFirst(".*:", "")), Long.MAX_VALUE, false);
    wire = new Wire(mosquitto.hubUrl(), device, mosquitto.hubIdentity());
    mosquitto.provision(dataDir, device);
    env.put("FERRY_AGENT_DEVICE_ID", device);
    env.put(
        "FERRY_AGENT_TRUST_ROOT",
        Files.write(dir.resolve("root.json"), hub.signedRoot()).toString());
    env.put("FERRY_AGENT_DATA_DIR", dataDir.toString());
    env.put("FERRY_AGENT_MQTT_URL", mosquitto.deviceUrl());
    env.put("FERRY_AGENT_REGISTRY_PLAIN_HTTP", registry.address());
    env.put("FERRY_AGENT_REGISTRY_IDLE_TIMEOUT", "3s");
  }

  /** Starts the agent (again), its log numbered by the start. */
  JarProcess start() throws Exception {
    agent = JarProcess.start("agent", env, dir.resolve("agent-" + starts++ + ".log"));
    return agent;
  }

  /** The agent process now. */
  JarProcess agent() {
    return agent;
  }

  /** Publishes release n ({@code n.0.0}, weights seeded by n) and the state assigning it. */
  TestHub.Release roll(int n, int[] shape) throws Exception {
    TestHub.Release release =
        hub.publish(
            client,
            registry.address(),
            "faults/" + device,
            MODEL,
            n + ".0.0",
            n,
            shape,
            n,
            TestHub.Flaw.NONE,
            dir);
    releases.put(release.version(), release);
    wire.publish(hub.desired(device, ++sequence, hub.assign(release)));
    return release;
  }

  /** The sequence of the last desired state published. */
  long sequence() {
    return sequence;
  }

  /** A release rolled out before, by version, or null. */
  TestHub.Release release(String version) {
    return releases.get(version);
  }

  /** Where the agent downloads a release's model layer to. */
  Path partial(TestHub.Release release) {
    return dataDir.resolve("incoming/" + release.modelLayer().digest().hex() + ".part");
  }

  @Override
  public void close() throws Exception {
    if (agent != null) {
      agent.close();
    }
    wire.close();
    client.close();
    registry.close();
    mosquitto.close();
  }
}
