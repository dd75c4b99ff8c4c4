package dev.ferry.it.bench;

import dev.ferry.protocol.testing.Services;
import dev.ferry.protocol.testing.TestHub;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Prepares agent caches that benchmarks start the agent from, published and pulled as in B3, each
 * with the environment that starts it again offline ({@code agent.env}): for {@code
 * integration-tests/bench/side-by-side.sh}, PaddleOCR's classifier and detector (npm); for {@code
 * integration-tests/bench/agent-starts.sh} (B8, one small model), the classifier alone. Not run in
 * CI:
 *
 * <pre>
 * mvn -B verify -Pbench -pl integration-tests -am -Dit.test=SideBySideCacheBenchmark \
 *     -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false
 * </pre>
 */
class SideBySideCacheBenchmark {
  /** Where the cache and {@code agent.env} are left. */
  static final Path DIR = Services.root().resolve("integration-tests/target/side-by-side");

  /** Where the one-model cache and its {@code agent.env} are left. */
  static final Path ONE_MODEL = Services.root().resolve("integration-tests/target/one-model");

  @Test
  void prepare() throws Exception {
    prepare(DIR, List.of(BenchModel.ocrClassifier(), BenchModel.ocrDetector()));
  }

  @Test
  void prepareOneModel() throws Exception {
    prepare(ONE_MODEL, List.of(BenchModel.ocrClassifier()));
  }

  private static void prepare(Path dir, List<BenchModel> models) throws Exception {
    Services.deleteTree(dir);
    try (AgentRig rig = new AgentRig(dir.resolve("rig"))) {
      List<TestHub.Release> releases = new java.util.ArrayList<>();
      for (BenchModel model : models) {
        releases.add(rig.publish(model, "1.0.0"));
      }
      rig.startFresh();
      rig.assign(releases.toArray(TestHub.Release[]::new));
      for (BenchModel model : models) {
        rig.oip().awaitVersion(model.name(), model.request(), "1.0.0");
      }
      Map<String, String> env = new TreeMap<>(rig.environment());
      env.put("FERRY_AGENT_MQTT_URL", "tcp://127.0.0.1:1"); // offline: nothing listens on port 1
      Files.writeString(
          dir.resolve("agent.env"),
          env.entrySet().stream()
              .map(e -> e.getKey() + "=" + e.getValue() + "\n")
              .collect(Collectors.joining()));
    }
    System.out.println("agent cache and settings: " + dir.resolve("agent.env"));
  }
}
