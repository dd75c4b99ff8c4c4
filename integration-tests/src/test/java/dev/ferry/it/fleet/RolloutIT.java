package dev.ferry.it.fleet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.it.identity.SecureMosquitto;
import dev.ferry.it.sim.FleetSimulator;
import dev.ferry.protocol.api.DeviceInRollout;
import dev.ferry.protocol.api.Rollout;
import dev.ferry.protocol.api.WaveProgress;
import dev.ferry.protocol.signing.TrustRoot;
import dev.ferry.protocol.testing.Services;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Rollouts end to end: the hub on real Mosquitto and PostgreSQL, simulated devices that verify
 * their desired states and report as agents do. Waves over a thousand devices, a canary that fails
 * on one device class, a metric gate that rolls the canary back, and two hub replicas of which one
 * is killed mid-rollout.
 */
class RolloutIT {
  private static final String TOKEN =
      dev.ferry.protocol.testing.AdminTokens.random("rollout-it-admin");
  private static final String MODEL = "roll-it";

  @TempDir static Path dir;
  private static Map<String, String> services;
  private static SecureMosquitto mosquitto;
  private static JarProcess hub;
  private static HubApi api;
  private static TrustRoot root;

  @BeforeAll
  static void startHub() throws Exception {
    services = Services.start("postgres");
    mosquitto = SecureMosquitto.start(dir.resolve("mosquitto"));
    String schema = "roll" + System.nanoTime();
    hub =
        JarProcess.start(
            "hub",
            HubApi.onPostgres(services, mosquitto, schema, dir.resolve("hub"), TOKEN),
            dir.resolve("hub.log"));
    api = new HubApi(hub, TOKEN);
    api.publish(MODEL, "1.0.0", 1, dir);
    api.publish(MODEL, "2.0.0", 2, dir);
    root = api.trustRoot();
  }

  @AfterAll
  static void stopHub() throws Exception {
    if (hub != null) {
      hub.close();
    }
    if (mosquitto != null) {
      mosquitto.close();
    }
  }

  private static FleetSimulator fleet(String tag, int devices, HubApi on) throws Exception {
    FleetSimulator fleet =
        new FleetSimulator("127.0.0.1", mosquitto.devicePort, tag, on.enrolling(devices));
    fleet.connect(devices);
    fleet.register(i -> Map.of("fleet", tag, "class", i % 2 == 0 ? "npu" : "cpu"));
    awaitKnown(on, tag, devices);
    return fleet;
  }

  private static void awaitKnown(HubApi on, String tag, int devices) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (true) {
      var response = on.get("/api/v1/devices?size=1&selector=fleet=" + tag);
      long known = Long.parseLong(response.headers().firstValue("X-Total-Count").orElse("0"));
      if (known == devices) {
        return;
      }
      assertTrue(System.nanoTime() < deadline, "the hub knows " + known + " of " + devices);
      Thread.sleep(200);
    }
  }

  private static Rollout await(HubApi on, String id, Predicate<Rollout> condition, String what)
      throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    Rollout rollout = on.rolloutState(id);
    while (!condition.test(rollout)) {
      assertTrue(System.nanoTime() < deadline, "rollout never " + what + ": " + rollout);
      Thread.sleep(250);
      rollout = on.rolloutState(id);
    }
    return rollout;
  }

  private static Rollout awaitState(HubApi on, String id, String state) throws Exception {
    return await(on, id, r -> r.state().equals(state), "became " + state);
  }

  private static Set<String> wave(Rollout rollout, int wave) {
    return rollout.devices().stream()
        .filter(d -> d.wave() == wave)
        .map(DeviceInRollout::id)
        .collect(Collectors.toCollection(TreeSet::new));
  }

  @Test
  void healthyRelease_overThreeWavesOfAThousandDevices_succeeds_oneDesiredStateEach()
      throws Exception {
    String tag = "healthy" + System.nanoTime();
    try (FleetSimulator fleet = fleet(tag, 1000, api)) {
      fleet.follow(root, FleetSimulator.HEALTHY);
      long start = System.nanoTime();
      String id =
          api.rollout(
              MODEL,
              "1.0.0",
              "\"selector\":\"fleet="
                  + tag
                  + "\",\"strategy\":{\"waves\":[\"1%\",\"10%\",\"100%\"]}");
      Rollout done = awaitState(api, id, "SUCCEEDED");
      System.out.printf(
          "1,000 devices over 3 waves: SUCCEEDED in %d ms%n",
          (System.nanoTime() - start) / 1_000_000);
      assertEquals(1000, (int) done.progress().get("ACTIVE"));
      assertEquals(List.of(10, 90, 900), waveSizes(done));
      // every device reported ACTIVE, so each has had its desired state by now
      Map<String, Integer> received = fleet.desiredReceived();
      assertEquals(1000, received.size());
      assertTrue(
          received.values().stream().allMatch(n -> n == 1),
          "every device got exactly one desired state");
    }
  }

  @Test
  void canaryWhereOneDeviceClassFailsItsGoldenVectors_pausesAfterWaveOne() throws Exception {
    String tag = "canary" + System.nanoTime();
    try (FleetSimulator fleet = fleet(tag, 200, api)) {
      fleet.follow(
          root,
          new FleetSimulator.Behaviour() {
            @Override
            public String failure(
                String device, Map<String, String> labels, String model, String version) {
              return labels.get("class").equals("npu")
                  ? "GOLDEN_MISMATCH: output 0 differs beyond the tolerance"
                  : null;
            }

            @Override
            public long errors(String device, String model, String version) {
              return 0;
            }
          });
      // 20 canaries drawn from 100 npu and 100 cpu devices: one npu among them but for 1e-6
      String id =
          api.rollout(
              MODEL,
              "1.0.0",
              "\"selector\":\"fleet="
                  + tag
                  + "\",\"strategy\":{\"waves\":[\"20\",\"100%\"],"
                  + "\"errorThreshold\":0.0}");
      Rollout paused = awaitState(api, id, "PAUSED");
      assertEquals(1, paused.wave());
      assertTrue(paused.reason().contains("failed or rolled back"), paused.toString());
      Set<String> canaries = wave(paused, 1);
      assertEquals(20, canaries.size());
      // watched for 3 s, longer than the engine takes to start a wave, failing at the first sign
      long watchedUntil = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
      while (System.nanoTime() < watchedUntil) {
        fleet
            .desiredReceived()
            .forEach(
                (device, count) ->
                    assertEquals(
                        canaries.contains(device) ? 1 : 0,
                        count,
                        device
                            + (canaries.contains(device) ? " is a canary" : " is outside wave 1")));
        Thread.sleep(100);
      }
      assertEquals(180, (int) paused.waveProgress().get(1).progress().get("WAITING"));
    }
  }

  @Test
  void canaryWithAWorseErrorRate_tripsTheMetricGate_andIsRolledBack() throws Exception {
    String tag = "gate" + System.nanoTime();
    FleetSimulator.Behaviour worse =
        new FleetSimulator.Behaviour() {
          @Override
          public String failure(
              String device, Map<String, String> labels, String model, String version) {
            return null;
          }

          @Override
          public long errors(String device, String model, String version) {
            return version.equals("2.0.0") ? 3 : 0; // 30% against 0%
          }
        };
    try (FleetSimulator fleet = fleet(tag, 20, api)) {
      fleet.follow(root, worse);
      String first = api.rollout(MODEL, "1.0.0", "\"selector\":\"fleet=" + tag + "\"");
      awaitState(api, first, "SUCCEEDED");
      fleet.serve(Duration.ofMillis(500), worse);
      String id =
          api.rollout(
              MODEL,
              "2.0.0",
              "\"selector\":\"fleet="
                  + tag
                  + "\",\"strategy\":{\"waves\":[\"4\",\"100%\"],"
                  + "\"probationSeconds\":2,\"onError\":\"rollback\","
                  + "\"metricGates\":{\"maxErrorRateIncrease\":0.05,\"minRequests\":100}}");
      Rollout back = awaitState(api, id, "ROLLED_BACK");
      assertTrue(
          back.reason().contains("metric gate: error rate of 2.0.0 is 30.00%"), back.reason());
      Set<String> canaries = wave(back, 1);
      assertEquals(4, (int) back.progress().get("REVERTED"));
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (!fleet.ids().stream().allMatch(d -> "1.0.0".equals(fleet.serving(d, MODEL)))) {
        assertTrue(System.nanoTime() < deadline, "the canaries never served 1.0.0 again");
        Thread.sleep(100);
      }
      for (String device : fleet.ids()) {
        assertEquals("1.0.0", fleet.serving(device, MODEL), device + " serves 1.0.0 again");
        assertEquals(
            canaries.contains(device) ? 3 : 1,
            fleet.desiredReceived().get(device),
            device + ": 1.0.0" + (canaries.contains(device) ? ", 2.0.0, 1.0.0 again" : " only"));
      }
    }
  }

  @Test
  void twoReplicas_oneKilledMidRollout_theOtherFinishesIt_eachStepOnce() throws Exception {
    String schema = "replica" + System.nanoTime();
    Map<String, String> first =
        new HashMap<>(
            HubApi.onPostgres(services, mosquitto, schema, dir.resolve("replica-a"), TOKEN));
    first.put("FERRY_HUB_MQTT_CLIENT_ID", "hub-a-" + schema);
    // reports that the killed replica had in flight are fetched again after 5 s, not 30
    first.put("FERRY_HUB_ROLLOUT_RESYNC_AFTER", "PT5S");
    JarProcess a = JarProcess.start("hub", first, dir.resolve("replica-a.log"));
    Map<String, String> second =
        new HashMap<>(
            HubApi.onPostgres(services, mosquitto, schema, dir.resolve("replica-b"), TOKEN));
    second.put("FERRY_HUB_MQTT_CLIENT_ID", "hub-b-" + schema);
    second.put("FERRY_HUB_ROLLOUT_RESYNC_AFTER", "PT5S");
    for (String role : List.of("root", "release", "hub")) {
      // one set of keys for the deployment
      second.put(
          "FERRY_HUB_KEYS_" + role.toUpperCase(),
          dir.resolve("replica-a/keys/" + role + ".pem").toString());
    }
    try (JarProcess b = JarProcess.start("hub", second, dir.resolve("replica-b.log"))) {
      HubApi onA = new HubApi(a, TOKEN);
      HubApi onB = new HubApi(b, TOKEN);
      onA.publish(MODEL, "1.0.0", 1, dir);
      String tag = "replica" + System.nanoTime();
      try (FleetSimulator fleet = fleet(tag, 300, onB)) {
        fleet.follow(onB.trustRoot(), FleetSimulator.HEALTHY);
        String id =
            onA.rollout(
                MODEL,
                "1.0.0",
                "\"selector\":\"fleet="
                    + tag
                    + "\",\"strategy\":{\"waves\":[\"30\",\"100\",\"100%\"]}");
        await(onB, id, r -> r.wave() >= 2, "reached wave 2");
        a.kill();
        Rollout done = awaitState(onB, id, "SUCCEEDED");
        assertEquals(300, (int) done.progress().get("ACTIVE"));
        // each step once: one signed desired state per device. Its delivery is at least once: a
        // state the killed replica published but had not yet marked published is published again
        // by the survivor after the grace period (the same sequence, which an agent ignores)
        assertTrue(
            fleet.distinctDesiredReceived().values().stream().allMatch(n -> n == 1),
            "every device got exactly one desired state: " + fleet.distinctDesiredReceived());
      }
    } finally {
      a.close();
    }
  }

  private static List<Integer> waveSizes(Rollout rollout) {
    return rollout.waveProgress().stream().map(WaveProgress::devices).toList();
  }
}
