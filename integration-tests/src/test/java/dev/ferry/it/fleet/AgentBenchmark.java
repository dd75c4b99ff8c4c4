package dev.ferry.it.fleet;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ferry.protocol.device.DeviceEvent;
import dev.ferry.protocol.device.EventType;
import dev.ferry.protocol.registry.RegistryClient;
import dev.ferry.protocol.testing.Services;
import dev.ferry.protocol.testing.TestHub;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Figures for the agent, not run in CI: swap latency of a ~10 MB model (desired accepted → new
 * version serving, from the agent's own events), latency under constant load in the swap windows
 * against steady state, RSS idle with one model, and start to ready from the cache with broker and
 * registry unreachable. Run it with:
 *
 * <pre>
 * mvn -B -DskipTests install -pl .,protocol,hub,agent
 * mvn -B verify -pl integration-tests -Dit.test=AgentBenchmark -Dtest=none \
 *     -Dsurefire.failIfNoSpecifiedTests=false
 * </pre>
 */
class AgentBenchmark {
  private static final String MODEL = "bench";

  /** 1600 × 1600 FP32 weights: 10.2 MB. */
  private static final int[] SHAPE = {1600, 1600};

  private static final String INFER = Oip.request(SHAPE[0]);
  private static final int SWAPS = 5;
  private static final int THREADS = 4;

  @TempDir Path dir;
  private final TestHub hub = new TestHub();
  private final String device = "edge-bench-" + System.nanoTime();

  @Test
  void swapLatencyLoadAndFootprint() throws Exception {
    Map<String, String> services = Services.start("mosquitto", "registry");
    String registry = services.get("FERRY_REGISTRY");
    Map<String, String> env = new HashMap<>();
    env.put("FERRY_AGENT_DEVICE_ID", device);
    env.put(
        "FERRY_AGENT_TRUST_ROOT",
        Files.write(dir.resolve("root.json"), hub.signedRoot()).toString());
    env.put("FERRY_AGENT_DATA_DIR", dir.resolve("agent").toString());
    env.put("FERRY_AGENT_MQTT_URL", services.get("FERRY_MQTT_URL"));
    env.put("FERRY_AGENT_REGISTRY_PLAIN_HTTP", registry);
    try (RegistryClient client = RegistryClient.builder(registry).plainHttp(true).build();
        Wire wire = new Wire(services.get("FERRY_MQTT_URL"), device)) {
      List<TestHub.Release> releases = new ArrayList<>();
      for (int i = 1; i <= SWAPS + 1; i++) {
        releases.add(
            hub.publish(
                client,
                registry,
                "bench/" + device,
                MODEL,
                i + ".0.0",
                i,
                SHAPE,
                i,
                TestHub.Flaw.NONE,
                dir));
      }
      try (JarProcess agent = JarProcess.start("agent", env, dir.resolve("agent.log"))) {
        Oip oip = new Oip(agent);
        System.out.printf("agent RSS idle, no model: %.1f MiB%n", agent.rss() / 1048576.0);
        wire.publish(hub.desired(device, 1, hub.assign(releases.get(0))));
        oip.awaitVersion(MODEL, INFER, "1.0.0");
        Thread.sleep(3000);
        System.out.printf("agent RSS idle, one 10 MB model: %.1f MiB%n", agent.rss() / 1048576.0);

        Load load = new Load(oip);
        List<Long> swapMillis = new ArrayList<>();
        List<long[]> windows = new ArrayList<>();
        for (int i = 1; i <= SWAPS; i++) {
          Thread.sleep(3000);
          String version = (i + 1) + ".0.0";
          int mark = wire.mark();
          long from = System.nanoTime();
          wire.publish(hub.desired(device, i + 1, hub.assign(releases.get(i))));
          DeviceEvent accepted = wire.await(mark, e -> e.type() == EventType.DESIRED_ACCEPTED, "");
          DeviceEvent activated = wire.await(mark, e -> e.type() == EventType.ACTIVATED, "");
          DeviceEvent verified = wire.await(mark, e -> e.type() == EventType.VERIFIED, "");
          oip.awaitVersion(MODEL, INFER, version);
          windows.add(new long[] {from, System.nanoTime() + 1_000_000_000L});
          swapMillis.add(Duration.between(accepted.at(), activated.at()).toMillis());
          System.out.printf(
              "swap to %s: accepted→verified %d ms, verified→activated %d ms, total %d ms%n",
              version,
              Duration.between(accepted.at(), verified.at()).toMillis(),
              Duration.between(verified.at(), activated.at()).toMillis(),
              Duration.between(accepted.at(), activated.at()).toMillis());
        }
        Thread.sleep(2000);
        load.stop();
        assertEquals(List.of(), load.failures);
        Collections.sort(swapMillis);
        System.out.printf(
            "swap latency median %d ms over %d swaps%n", swapMillis.get(SWAPS / 2), SWAPS);
        List<Long> steady = new ArrayList<>();
        List<Long> swapping = new ArrayList<>();
        for (long[] sample : load.samples()) {
          boolean inWindow = windows.stream().anyMatch(w -> sample[0] >= w[0] && sample[0] <= w[1]);
          (inWindow ? swapping : steady).add(sample[1]);
        }
        System.out.printf(
            "under %d threads: %d requests, 0 failed; steady p50 %.2f ms p99 %.2f ms (%d); "
                + "swap windows p50 %.2f ms p99 %.2f ms (%d)%n",
            THREADS,
            load.samples().size(),
            quantile(steady, 0.5),
            quantile(steady, 0.99),
            steady.size(),
            quantile(swapping, 0.5),
            quantile(swapping, 0.99),
            swapping.size());
      }

      env.put("FERRY_AGENT_MQTT_URL", "tcp://127.0.0.1:" + closedPort());
      offlineStarts(env, "plain JVM", List.of());
      Path archive = Services.root().resolve("agent/target/quarkus-app/app-cds.jsa");
      if (Files.exists(archive)) {
        // -Xshare:on: the JVM refuses to start rather than run without the archive
        offlineStarts(env, "AppCDS", List.of("-XX:SharedArchiveFile=app-cds.jsa", "-Xshare:on"));
      } else {
        System.out.println(
            "no AppCDS archive: build the agent with -Dquarkus.package.jar.aot.enabled=true"
                + " -Dquarkus.package.jar.aot.type=AppCDS to measure it");
      }
    }
  }

  /** Start to serving the cached model with broker and registry unreachable, three times. */
  private void offlineStarts(Map<String, String> env, String how, List<String> jvmOptions)
      throws Exception {
    List<Long> starts = new ArrayList<>();
    long rss = 0;
    for (int i = 0; i < 3; i++) {
      long start = System.nanoTime();
      try (JarProcess offline =
          JarProcess.start(
              "agent", env, dir.resolve("offline.log"), JarProcess.freePort(), jvmOptions)) {
        Oip oip = new Oip(offline);
        oip.awaitVersion(MODEL, INFER, (SWAPS + 1) + ".0.0");
        HttpResponse<String> ready = oip.get("/q/health/ready");
        assertEquals(200, ready.statusCode(), ready.body());
        starts.add((System.nanoTime() - start) / 1_000_000);
        rss = offline.rss();
      }
    }
    Collections.sort(starts);
    System.out.printf(
        "start to serving from cache, offline, %s: median %d ms of %s; RSS then %.0f MiB%n",
        how, starts.get(1), starts, rss / 1048576.0);
  }

  private static int closedPort() throws Exception {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  private static double quantile(List<Long> nanos, double q) {
    List<Long> sorted = new ArrayList<>(nanos);
    Collections.sort(sorted);
    if (sorted.isEmpty()) {
      return Double.NaN;
    }
    return sorted.get((int) Math.min(sorted.size() - 1, Math.ceil(q * sorted.size()) - 1)) / 1e6;
  }

  /** Threads sending requests back to back, recording {start, latency} of each. */
  private static final class Load {
    final List<String> failures = Collections.synchronizedList(new ArrayList<>());
    private final List<long[]> samples = Collections.synchronizedList(new ArrayList<>());
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final List<Thread> threads = new ArrayList<>();

    Load(Oip oip) {
      for (int i = 0; i < THREADS; i++) {
        Thread thread =
            new Thread(
                () -> {
                  while (running.get()) {
                    long start = System.nanoTime();
                    try {
                      HttpResponse<String> response = oip.infer(MODEL, INFER);
                      if (response.statusCode() != 200) {
                        failures.add(response.statusCode() + " " + response.body());
                      }
                    } catch (Exception e) {
                      failures.add(e.toString());
                    }
                    samples.add(new long[] {start, System.nanoTime() - start});
                  }
                });
        thread.start();
        threads.add(thread);
      }
    }

    List<long[]> samples() {
      return samples;
    }

    void stop() throws InterruptedException {
      running.set(false);
      for (Thread thread : threads) {
        thread.join(10_000);
      }
    }
  }
}
