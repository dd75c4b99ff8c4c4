package dev.ferry.it.fleet;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ferry.it.bench.CpuList;
import dev.ferry.it.identity.SecureMosquitto;
import dev.ferry.it.sim.FleetSimulator;
import dev.ferry.protocol.testing.Services;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Telemetry ingest under a simulated fleet, not run in CI: 1,000 then 10,000 devices each sending a
 * batch per second through Mosquitto to the hub on PostgreSQL. Prints the sustained ingest rate,
 * the backlog, the hub's CPU and RSS, and checks the totals. Run it with:
 *
 * <pre>
 * mvn -B -DskipTests install -pl .,protocol,hub,agent
 * mvn -B verify -pl integration-tests -Dit.test=TelemetryIngestBenchmark -Dtest=none \
 *     -Dsurefire.failIfNoSpecifiedTests=false
 * </pre>
 *
 * <p>{@code -Dbench.hub.java-options=…} adds JVM options to the hub (a flight recording, say).
 * {@code -Dbench.simulator.cpus=1 -Dbench.hub.cpus=0} give the simulator (this JVM) a CPU of its
 * own and put the hub, the broker and the hub's PostgreSQL backends on the other ({@code taskset};
 * unpinned by default).
 */
class TelemetryIngestBenchmark {
  private static final String TOKEN = dev.ferry.protocol.testing.AdminTokens.random("bench-admin");
  private static final Duration WINDOW = Duration.ofSeconds(30);
  private static final Duration OUTAGE = Duration.ofSeconds(20);

  private static final CpuList SIMULATOR_CPUS = CpuList.property("bench.simulator.cpus");
  private static final CpuList HUB_CPUS = CpuList.property("bench.hub.cpus");

  @TempDir Path dir;

  @Test
  void ingestOfOneAndTenThousandDevices() throws Exception {
    System.out.println(dev.ferry.it.bench.Environment.describe());
    Map<String, String> services = Services.start("postgres");
    String schema = "bench" + System.nanoTime();
    SecureMosquitto mosquitto = SecureMosquitto.start(dir.resolve("mosquitto"));
    // e.g. -Dbench.hub.java-options=-XX:StartFlightRecording=filename=/tmp/hub.jfr to profile
    Map<String, String> env =
        HubApi.withBenchJavaOptions(
            HubApi.onPostgres(services, mosquitto, schema, dir.resolve("hub"), TOKEN));
    try (mosquitto;
        JarProcess hub = JarProcess.start("hub", env, dir.resolve("hub.log"));
        FleetSimulator fleet =
            new FleetSimulator(
                "127.0.0.1",
                mosquitto.devicePort,
                "sim-" + schema,
                new HubApi(hub, TOKEN).enrolling(10_000))) {
      HubApi api = new HubApi(hub, TOKEN);
      System.out.printf("simulator on %s; hub and broker on %s%n", SIMULATOR_CPUS, HUB_CPUS);
      SIMULATOR_CPUS.pin(ProcessHandle.current().pid());
      HUB_CPUS.pin(mosquitto.pid());
      HUB_CPUS.pin(hub.pid());
      api.publish("sim", "1.0.0", 1, dir);
      System.out.printf(
          "%s, %d cores, JDK %s%n",
          Files.readAllLines(Path.of("/proc/cpuinfo")).stream()
              .filter(l -> l.startsWith("model name"))
              .findFirst()
              .orElse("cpu ?"),
          Runtime.getRuntime().availableProcessors(),
          System.getProperty("java.version"));
      for (int devices : new int[] {1_000, 10_000}) {
        long connectStart = System.nanoTime();
        fleet.connect(devices - (int) fleet.connected());
        System.out.printf(
            "%,d devices enrolled and connected over mutual TLS (%d ms; enrolling, all so far:"
                + " %d ms)%n",
            devices,
            (System.nanoTime() - connectStart) / 1_000_000,
            fleet.enrollmentTime().toMillis());
        fleet.start(Duration.ofSeconds(1), "sim", "1.0.0");
        // warm up: the first phase also takes the hub's JIT compilation out of the window
        Thread.sleep(devices == 1_000 ? 20_000 : 5_000);
        pinDatabaseSessions(hub, services);
        Sample first = sample(api, hub);
        Map<String, Long> cpuBefore = CpuUse.byProcess(hub.pid());
        long sentBefore = fleet.sent();
        long maxBacklog = 0;
        long end = System.nanoTime() + WINDOW.toNanos();
        while (System.nanoTime() < end) {
          Thread.sleep(1000);
          maxBacklog = Math.max(maxBacklog, (long) metric(api, "ferry_ingest_telemetry_backlog"));
        }
        Sample last = sample(api, hub);
        Map<String, Long> cpuAfter = CpuUse.byProcess(hub.pid());
        long sent = fleet.sent() - sentBefore;
        fleet.stop();
        double seconds = (last.nanos - first.nanos) / 1e9;
        System.out.printf(
            "%,d devices: sent %.0f batches/s, hub counted %.0f batches/s sustained over %.0f s;"
                + " max backlog %,d; hub CPU %.0f%% of one core, RSS %.0f MiB%n",
            devices,
            sent / seconds,
            (last.counted - first.counted) / seconds,
            seconds,
            maxBacklog,
            100.0 * (last.cpuTicks - first.cpuTicks) / 100.0 / seconds,
            last.rss / 1048576.0);
        System.out.println("  CPU (% of one core): " + CpuUse.share(cpuBefore, cpuAfter, seconds));
        long drainStart = System.nanoTime();
        awaitAccounted(api, fleet.acked());
        System.out.printf(
            "  backlog drained %d ms after the fleet stopped; %d devices connected;"
                + " sent %d, refused by the client %d, acked %d; hub received %.0f, counted %.0f,"
                + " duplicates %.0f, malformed %.0f%n",
            (System.nanoTime() - drainStart) / 1_000_000,
            fleet.connected(),
            fleet.sent(),
            fleet.refused(),
            fleet.acked(),
            metric(api, "ferry_ingest_telemetry_received"),
            metric(api, "ferry_ingest_telemetry_counted"),
            metric(api, "ferry_ingest_telemetry_duplicates"),
            metric(api, "ferry_ingest_telemetry_malformed"));
      }
      drainAfterRestart(hub, env, fleet, services);
      Files.readAllLines(dir.resolve("hub.log")).stream()
          .filter(l -> l.contains("ERROR") || l.contains("WARN"))
          .limit(20)
          .forEach(l -> System.out.println("hub log: " + l));
    }
  }

  /**
   * The hub's own capacity on this machine: the 10,000 devices send for a while with the hub
   * killed, the broker keeps their batches for its persistent session, then the restarted hub
   * drains that backlog with the simulator idle. Also the totals stay exact across the kill.
   */
  private void drainAfterRestart(
      JarProcess hub, Map<String, String> env, FleetSimulator fleet, Map<String, String> services)
      throws Exception {
    hub.kill();
    long ackedBefore = fleet.acked();
    fleet.start(Duration.ofSeconds(1), "sim", "1.0.0");
    Thread.sleep(OUTAGE.toMillis());
    fleet.stop();
    Thread.sleep(1000); // the last acknowledgements
    long queued = fleet.acked() - ackedBefore;
    long launched = System.nanoTime();
    try (JarProcess restarted =
        JarProcess.start("hub", env, dir.resolve("hub-restarted.log"), hub.port())) {
      HUB_CPUS.pin(restarted.pid());
      pinDatabaseSessions(restarted, services);
      HubApi api = new HubApi(restarted, TOKEN);
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(300);
      long requests = 0;
      while (System.nanoTime() < deadline && (requests = requests(api)) < fleet.requestsSent()) {
        Thread.sleep(250);
      }
      long drained = System.nanoTime();
      // the hub drains while it starts (its HTTP API answers only once it is up), so the time
      // counts from the launch and includes the JVM's start
      double fromLaunch = (drained - launched) / 1e9;
      System.out.printf(
          "hub killed, %,d batches queued at the broker in %d s; the restarted hub counted them"
              + " all %.1f s after its launch (JVM start included): %.0f batches/s; RSS %.0f MiB%n",
          queued, OUTAGE.toSeconds(), fromLaunch, queued / fromLaunch, restarted.rss() / 1048576.0);
      assertEquals(fleet.requestsSent(), requests, "hub totals equal what was sent");
      System.out.printf(
          "totals: %,d requests in %,d batches, exact across a kill -9 of the hub%n",
          fleet.requestsSent(), fleet.acked());
    }
  }

  /** Pins the PostgreSQL backends of the hub's connections open now with the hub. */
  private static void pinDatabaseSessions(JarProcess hub, Map<String, String> services)
      throws Exception {
    if (!HUB_CPUS.pins()) {
      return;
    }
    List<Long> backends = DatabaseSessions.of(hub.pid(), Integer.parseInt(HubApi.pgPort(services)));
    for (long backend : backends) {
      HUB_CPUS.pin(backend);
    }
    System.out.printf(
        "  %d PostgreSQL backends of the hub pinned to %s%n", backends.size(), HUB_CPUS);
  }

  private static long requests(HubApi api) throws Exception {
    return api.metrics("sim", "1.0.0").requests();
  }

  private record Sample(long nanos, double counted, long cpuTicks, long rss) {}

  private static Sample sample(HubApi api, JarProcess hub) throws Exception {
    String[] stat = Files.readString(Path.of("/proc/" + hub.pid() + "/stat")).split(" ");
    long ticks = Long.parseLong(stat[13]) + Long.parseLong(stat[14]);
    return new Sample(
        System.nanoTime(), metric(api, "ferry_ingest_telemetry_counted"), ticks, hub.rss());
  }

  private static double metric(HubApi api, String name) throws Exception {
    return api.get("/q/metrics")
        .body()
        .lines()
        .filter(l -> l.startsWith(name + " "))
        .mapToDouble(l -> Double.parseDouble(l.substring(name.length() + 1)))
        .findFirst()
        .orElse(0);
  }

  /** Waits until every batch the broker took is counted, or dropped as a repeat or malformed. */
  private static void awaitAccounted(HubApi api, long acked) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(240);
    while (accounted(api) < acked && System.nanoTime() < deadline) {
      Thread.sleep(200);
    }
  }

  private static double accounted(HubApi api) throws Exception {
    return metric(api, "ferry_ingest_telemetry_counted")
        + metric(api, "ferry_ingest_telemetry_duplicates")
        + metric(api, "ferry_ingest_telemetry_malformed");
  }
}
