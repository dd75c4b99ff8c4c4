package dev.ferry.it.deploy;

import dev.ferry.it.fleet.JarProcess;
import dev.ferry.it.fleet.Oip;
import dev.ferry.it.fleet.Wire;
import dev.ferry.it.identity.SecureMosquitto;
import dev.ferry.protocol.registry.RegistryClient;
import dev.ferry.protocol.testing.TestHub;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The agent of an image's arm64 layers run by an arm64 JVM under qemu user-mode, with the test in
 * the hub's place on real Mosquitto and the Distribution registry: it installs and serves one
 * model. The JVM comes from a Debian arm64 tree ({@code openjdk-17-jre-headless:arm64} and the C
 * libraries unpacked with {@code dpkg -x}), since the test's own base image carries this machine's
 * JRE.
 */
final class QemuArm64Agent {
  /**
   * Where the arm64 tree is: {@code -Dferry.arm64.rootfs}, else {@code /opt/ferry/arm64-rootfs}.
   */
  static final Path ROOTFS =
      Path.of(System.getProperty("ferry.arm64.rootfs", "/opt/ferry/arm64-rootfs"));

  static final Path JAVA = ROOTFS.resolve("usr/lib/jvm/java-17-openjdk-arm64/bin/java");
  static final Path QEMU = Path.of("/usr/bin/qemu-aarch64-static");

  private QemuArm64Agent() {}

  /** Whether qemu-user-static and the arm64 JVM are there. */
  static boolean available() {
    return Files.isExecutable(QEMU) && Files.isExecutable(JAVA);
  }

  /**
   * Starts the agent from an application directory, publishes a generated {@code [1,4] → [1,2]}
   * model, assigns it and waits until the agent serves it.
   *
   * @param app the image's application directory (its {@code WorkingDir})
   * @param registry the registry {@code host:port}, plain HTTP
   * @param dir where the broker, the agent's data and the logs go
   */
  static void servesOneModel(Path app, String registry, Path dir) throws Exception {
    TestHub hub = new TestHub();
    String device = "edge-arm64-" + System.nanoTime();
    try (SecureMosquitto mosquitto = SecureMosquitto.start(dir.resolve("mosquitto"));
        Wire wire = new Wire(mosquitto.hubUrl(), device, mosquitto.hubIdentity());
        RegistryClient client = RegistryClient.builder(registry).plainHttp(true).build()) {
      mosquitto.provision(dir.resolve("agent"), device);
      Map<String, String> env = new HashMap<>();
      env.put("FERRY_AGENT_DEVICE_ID", device);
      env.put(
          "FERRY_AGENT_TRUST_ROOT",
          Files.write(dir.resolve("root.json"), hub.signedRoot()).toString());
      env.put("FERRY_AGENT_DATA_DIR", dir.resolve("agent").toString());
      env.put("FERRY_AGENT_MQTT_URL", mosquitto.deviceUrl());
      env.put("FERRY_AGENT_REGISTRY_PLAIN_HTTP", registry);
      List<String> java =
          List.of(QEMU.toString(), "-L", ROOTFS.toString(), JAVA.toString(), "-Xmx512m");
      try (JarProcess agent =
          JarProcess.start(java, app, env, dir.resolve("agent.log"), Duration.ofMinutes(3))) {
        TestHub.Release release =
            hub.publish(
                client,
                registry,
                "arm64/" + device,
                "arm64-model",
                "1.0.0",
                1,
                new int[] {4, 2},
                7,
                TestHub.Flaw.NONE,
                dir);
        wire.publish(hub.desired(device, 1, hub.assign(release)));
        new Oip(agent).awaitVersion("arm64-model", Oip.request(4), "1.0.0");
      }
    }
  }
}
