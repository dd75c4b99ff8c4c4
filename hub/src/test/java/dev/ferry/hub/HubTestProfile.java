package dev.ferry.hub;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The hub on its embedded defaults, with a fresh data directory per test JVM under the module's
 * {@code target/}, so each run's databases and blobs go with the build, not into the system's
 * temporary folder.
 */
public class HubTestProfile implements QuarkusTestProfile {
  private static final Path DATA_DIR = newDataDir();
  private static final int MQTT_PORT = freePort();

  private static int freePort() {
    try (var socket = new java.net.ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The embedded broker's port. */
  public static int mqttPort() {
    return MQTT_PORT;
  }

  private static Path newDataDir() {
    return newTestDir("ferry-hub-test");
  }

  /** A new directory under {@code target/test-data}, named from the prefix. */
  protected static Path newTestDir(String prefix) {
    try {
      Path parent = Files.createDirectories(Path.of("target", "test-data"));
      return Files.createTempDirectory(parent, prefix).toAbsolutePath();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The data directory of the hub under test. */
  public static Path dataDir() {
    return DATA_DIR;
  }

  @Override
  public Map<String, String> getConfigOverrides() {
    return Map.of(
        "ferry.hub.data-dir",
        DATA_DIR.toString(),
        "ferry.hub.mqtt.host",
        "127.0.0.1",
        "ferry.hub.mqtt.port",
        String.valueOf(MQTT_PORT),
        // devices that join a selection are found within a second
        "ferry.hub.rollout.enroll-interval",
        "PT1S");
  }
}
