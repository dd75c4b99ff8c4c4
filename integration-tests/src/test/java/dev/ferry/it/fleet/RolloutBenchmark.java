package dev.ferry.it.fleet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.it.identity.SecureMosquitto;
import dev.ferry.it.sim.FleetSimulator;
import dev.ferry.protocol.testing.Services;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Rollout fan-out, not run in CI: 10,000 simulated devices (verifying every desired state as an
 * agent does) get a release in one wave from the hub on Mosquitto and PostgreSQL, then five more
 * releases the same way: the first rollout after the hub's start, its code cold, and then a hub in
 * service. Prints, for each, the time until every device has its desired state and until the hub
 * counts every device ACTIVE, and the hub's CPU and RSS. Run it with:
 *
 * <pre>
 * mvn -B -DskipTests install -pl .,protocol,hub,agent
 * mvn -B verify -pl integration-tests -Dit.test=RolloutBenchmark -Dtest=none \
 *     -Dsurefire.failIfNoSpecifiedTests=false
 * </pre>
 *
 * <p>{@code -Dbench.hub.java-options=…} adds JVM options to the hub (a flight recording, say).
 */
class RolloutBenchmark {
  private static final String TOKEN =
      dev.ferry.protocol.testing.AdminTokens.random("rollout-bench-admin");
  private static final int DEVICES = 10_000;
  private static final int ROLLOUTS = 6;

  @TempDir Path dir;

  private final AtomicReference<Watch> watch = new AtomicReference<>(new Watch());

  @Test
  void oneWaveToTenThousandDevices() throws Exception {
    System.out.println(dev.ferry.it.bench.Environment.describe());
    Map<String, String> services = Services.start("postgres");
    String schema = "rollbench" + System.nanoTime();
    try (SecureMosquitto mosquitto = SecureMosquitto.start(dir.resolve("mosquitto"));
        JarProcess hub =
            JarProcess.start(
                "hub",
                HubApi.withBenchJavaOptions(
                    HubApi.onPostgres(services, mosquitto, schema, dir.resolve("hub"), TOKEN)),
                dir.resolve("hub.log"));
        FleetSimulator fleet =
            new FleetSimulator(
                "127.0.0.1",
                mosquitto.devicePort,
                schema,
                new HubApi(hub, TOKEN).enrolling(DEVICES))) {
      HubApi api = new HubApi(hub, TOKEN);
      api.publish("bench", "1.0.0", 1, dir);
      long start = System.nanoTime();
      fleet.connect(DEVICES);
      fleet.register(i -> Map.of("fleet", schema));
      awaitKnown(api, schema);
      System.out.printf(
          "%,d devices enrolled, connected over mutual TLS and known to the hub in %d ms, of which"
              + " enrolling (key pair, CSR, certificate; 16 at a time) %d ms%n",
          DEVICES, (System.nanoTime() - start) / 1_000_000, fleet.enrollmentTime().toMillis());
      fleet.follow(api.trustRoot(), FleetSimulator.HEALTHY);
      // the first rollout after the hub's start runs its fan-out code cold: the JIT compiles it
      // on the same two cores while it runs, and goes on compiling through the third; the later
      // ones, to the same devices, are a hub in service
      MqttClient watcher =
          new MqttClient(mosquitto.hubUrl(), "desired-watch-" + schema, new MemoryPersistence());
      watcher.connect(mosquitto.hubIdentity().options());
      // subscribed once: a subscription made for the second rollout would first be sent the
      // first's 10,000 retained states, and count the second's behind them
      watcher.subscribe(
          "ferry/v1/devices/+/desired",
          1,
          (topic, message) -> {
            String device = topic.split("/")[3];
            if (device.startsWith(schema + "-")
                && message.getPayload().length > 0
                && !message.isRetained()) {
              watch.get().seen(device);
            }
          });
      for (int nth = 1; nth <= ROLLOUTS; nth++) {
        String version = "1.0." + (nth - 1);
        if (nth > 1) {
          api.publish("bench", version, nth, dir);
        }
        oneWave(hub, fleet, schema, version, nth);
      }
      watcher.disconnect();
      watcher.close();
    }
  }

  /** The desired states a subscriber that only counts (no verification) sees in one rollout. */
  private static final class Watch {
    final Set<String> published = ConcurrentHashMap.newKeySet();
    final AtomicLong first = new AtomicLong();
    final AtomicLong last = new AtomicLong();

    void seen(String device) {
      if (published.add(device)) {
        first.compareAndSet(0, System.nanoTime());
        if (published.size() == DEVICES) {
          last.set(System.nanoTime());
        }
      }
    }
  }

  /** Rolls a version out to every device in one wave and prints how long each step took. */
  private void oneWave(JarProcess hub, FleetSimulator fleet, String schema, String version, int nth)
      throws Exception {
    HubApi api = new HubApi(hub, TOKEN);
    Watch published = new Watch();
    watch.set(published);
    Map<String, Long> cpuBefore = CpuUse.byProcess(hub.pid());
    Map<String, Long> threadsBefore = CpuUse.byThread(hub.pid());
    Map<String, Long> threadsPublished = null;
    long created = System.nanoTime();
    String id = api.rollout("bench", version, "\"selector\":\"fleet=" + schema + "\"");
    long answered = System.nanoTime();
    long allPublished = 0;
    long allReceived = 0;
    long succeeded = 0;
    long deadline = created + TimeUnit.SECONDS.toNanos(300);
    while ((allPublished == 0 || allReceived == 0 || succeeded == 0)
        && System.nanoTime() < deadline) {
      if (allPublished == 0 && published.last.get() != 0) {
        allPublished = published.last.get();
        threadsPublished = CpuUse.byThread(hub.pid());
      }
      if (allReceived == 0 && fleet.desiredReceived().values().stream().allMatch(n -> n >= nth)) {
        allReceived = System.nanoTime();
      }
      // the list's view: the full one reads all 10,000 reports, and asking for it every 20 ms
      // took hub CPU from the fan-out it measures
      if (succeeded == 0 && api.newestRollout("bench").state().equals("SUCCEEDED")) {
        succeeded = System.nanoTime();
      }
      Thread.sleep(20);
    }
    assertTrue(allPublished != 0, "the subscriber did not see every desired state in 300 s");
    double seconds = (System.nanoTime() - created) / 1e9;
    System.out.printf(
        "rollout %d (%s), one wave to %,d devices: POST answered in %d ms; the first desired"
            + " state published (seen by a subscriber) after %d ms, every one after %d ms; every"
            + " simulated device had verified its desired state after %d ms; the hub counted every"
            + " device ACTIVE after %d ms; hub RSS %.0f MiB%n",
        nth,
        nth == 1 ? "the hub's first, its code cold" : "after " + (nth - 1) + " before it",
        DEVICES,
        (answered - created) / 1_000_000,
        (published.first.get() - created) / 1_000_000,
        (allPublished - created) / 1_000_000,
        (allReceived - created) / 1_000_000,
        (succeeded - created) / 1_000_000,
        hub.rss() / 1048576.0);
    java.nio.file.Files.readAllLines(dir.resolve("hub.log")).stream()
        .filter(line -> line.contains(id) && line.contains(" ms"))
        .forEach(line -> System.out.println("  hub: " + line));
    System.out.println(
        "  CPU (% of one core) over the rollout: "
            + CpuUse.share(cpuBefore, CpuUse.byProcess(hub.pid()), seconds));
    System.out.println(
        "  the hub's busiest threads until every desired state was published (% of one core): "
            + CpuUse.busiest(threadsBefore, threadsPublished, (allPublished - created) / 1e9, 12));
    assertEquals(
        DEVICES,
        fleet.desiredReceived().values().stream().filter(n -> n == nth).count(),
        "every device got exactly one desired state per rollout");
    assertEquals("SUCCEEDED", api.rolloutState(id).state());
  }

  private static void awaitKnown(HubApi api, String tag) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(300);
    long known = 0;
    while (System.nanoTime() < deadline) {
      var response = api.get("/api/v1/devices?size=1&selector=fleet=" + tag);
      known = Long.parseLong(response.headers().firstValue("X-Total-Count").orElse("0"));
      if (known == DEVICES) {
        return;
      }
      Thread.sleep(500);
    }
    throw new AssertionError("the hub knew " + known + " of " + DEVICES + " devices after 300 s");
  }
}
