package dev.ferry.hub;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** The hub on its embedded defaults, with a fresh data directory per test JVM. */
public class HubTestProfile implements QuarkusTestProfile {
  private static final Path DATA_DIR = newDataDir();

  private static Path newDataDir() {
    try {
      return Files.createTempDirectory("ferry-hub-test");
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
    return Map.of("ferry.hub.data-dir", DATA_DIR.toString());
  }
}
