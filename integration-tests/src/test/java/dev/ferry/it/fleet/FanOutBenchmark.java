package dev.ferry.it.fleet;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ferry.it.identity.SecureMosquitto;
import dev.ferry.protocol.testing.Services;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A rollout's fan-out to 100,000 devices measured on the hub's side, not run in CI: one machine
 * cannot hold 100,000 device connections, so the devices are registered in PostgreSQL (rows, as
 * their first reports would leave them) and none is connected. The hub signs, commits and publishes
 * a desired state for each, retained, to Mosquitto over its mutual-TLS listener, and a subscriber
 * on the hub listener counts what the broker delivers. Prints the time to the first and the last
 * desired state seen, the hub's own log of it, and the CPU and RSS of the hub. {@code
 * -Dbench.devices=N} sets the number of devices.
 */
class FanOutBenchmark {
  private static final String TOKEN = dev.ferry.protocol.testing.AdminTokens.random("fan-out");
  private static final int DEVICES = Integer.getInteger("bench.devices", 100_000);

  @TempDir Path dir;

  @Test
  void oneWaveToAHundredThousandRegisteredDevices() throws Exception {
    System.out.println(dev.ferry.it.bench.Environment.describe());
    Map<String, String> services = Services.start("postgres");
    String schema = "fanbench" + System.nanoTime();
    try (SecureMosquitto mosquitto = SecureMosquitto.start(dir.resolve("mosquitto"));
        JarProcess hub =
            JarProcess.start(
                "hub",
                HubApi.withBenchJavaOptions(
                    HubApi.onPostgres(services, mosquitto, schema, dir.resolve("hub"), TOKEN)),
                dir.resolve("hub.log"))) {
      HubApi api = new HubApi(hub, TOKEN);
      api.publish("bench", "1.0.0", 1, dir);
      long start = System.nanoTime();
      psql(services, schema, register(schema));
      System.out.printf(
          "%,d devices registered in PostgreSQL in %d ms (one INSERT; none connected)%n",
          DEVICES, (System.nanoTime() - start) / 1_000_000);
      try {
        measure(api, hub, mosquitto, schema);
      } finally {
        psql(services, schema, "DROP SCHEMA " + schema + " CASCADE");
      }
    }
  }

  private void measure(HubApi api, JarProcess hub, SecureMosquitto mosquitto, String schema)
      throws Exception {
    Set<String> seen = ConcurrentHashMap.newKeySet();
    AtomicLong first = new AtomicLong();
    AtomicLong last = new AtomicLong();
    MqttClient watcher =
        new MqttClient(mosquitto.hubUrl(), "desired-count-" + schema, new MemoryPersistence());
    watcher.connect(mosquitto.hubIdentity().options());
    watcher.subscribe(
        "ferry/v1/devices/+/desired",
        1,
        (topic, message) -> {
          if (topic.split("/")[3].startsWith(schema + "-") && seen.add(topic)) {
            first.compareAndSet(0, System.nanoTime());
            if (seen.size() == DEVICES) {
              last.set(System.nanoTime());
            }
          }
        });
    Map<String, Long> cpuBefore = CpuUse.byProcess(hub.pid());
    long created = System.nanoTime();
    api.rollout("bench", "1.0.0", "\"selector\":\"fleet=" + schema + "\"");
    long answered = System.nanoTime();
    long deadline = created + TimeUnit.SECONDS.toNanos(600);
    while (last.get() == 0 && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    double seconds = (System.nanoTime() - created) / 1e9;
    String cpu = CpuUse.share(cpuBefore, CpuUse.byProcess(hub.pid()), seconds);
    watcher.disconnect();
    watcher.close();
    System.out.printf(
        "one wave to %,d registered devices: first desired state seen by the subscriber after %d"
            + " ms, every one after %d ms (%,.0f/s); POST answered after %d ms; hub RSS %.0f"
            + " MiB%n",
        DEVICES,
        (first.get() - created) / 1_000_000,
        (last.get() - created) / 1_000_000,
        DEVICES / ((last.get() - created) / 1e9),
        (answered - created) / 1_000_000,
        hub.rss() / 1048576.0);
    Files.readAllLines(dir.resolve("hub.log")).stream()
        .filter(line -> line.contains("desired states signed") || line.contains("fan-out of"))
        .forEach(line -> System.out.println("  hub: " + line));
    System.out.println("  CPU (% of one core) from the POST to the last: " + cpu);
    assertEquals(DEVICES, seen.size(), "desired states seen by the subscriber");
  }

  /** The devices' rows as their first reports leave them: labelled, offline, nothing reported. */
  private static String register(String schema) {
    return "INSERT INTO device (id, labels, online) SELECT '"
        + schema
        + "-' || n, '{\"fleet\":\""
        + schema
        + "\"}', FALSE FROM generate_series(0, "
        + (DEVICES - 1)
        + ") AS n";
  }

  private static void psql(Map<String, String> services, String schema, String sql)
      throws Exception {
    ProcessBuilder builder =
        new ProcessBuilder(
                List.of(
                    "psql",
                    "-h",
                    "127.0.0.1",
                    "-p",
                    HubApi.pgPort(services),
                    "-U",
                    "ferry",
                    "-d",
                    "ferry",
                    "-v",
                    "ON_ERROR_STOP=1",
                    "-qAt",
                    "-c",
                    "SET search_path TO " + schema + "; " + sql))
            .redirectErrorStream(true);
    builder.environment().put("PGPASSWORD", "ferry");
    Process psql = builder.start();
    String output = new String(psql.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (psql.waitFor() != 0) {
      throw new AssertionError("psql failed: " + output);
    }
  }
}
