package dev.ferry.it.fleet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.it.faults.Figures;
import dev.ferry.it.identity.SecureMosquitto;
import dev.ferry.it.sim.FleetSimulator;
import dev.ferry.protocol.api.Rollout;
import dev.ferry.protocol.testing.AdminTokens;
import dev.ferry.protocol.testing.Services;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two hub replicas on one PostgreSQL and one Mosquitto; {@code faults.replica.kills} times (default
 * 20) a rollout of a new version to 100 simulated devices is started on one replica, which is
 * killed (kill -9) once wave 1 is done, and restarted after the other finished the rollout: every
 * rollout succeeds, every device serves its version, and each device has had exactly one desired
 * state per rollout.
 */
class ReplicaKillFault {
  private static final String TOKEN = AdminTokens.random("replica-kill-admin");
  private static final String MODEL = "replica-kill";
  private static final int DEVICES = 100;

  private final int kills = Figures.knob("faults.replica.kills", 20);

  @TempDir Path dir;
  private final Map<String, Map<String, String>> envs = new HashMap<>();
  private final JarProcess[] replicas = new JarProcess[2];

  @Test
  void oneOfTwoReplicasKilledInEachRollout_everyRolloutFinishes_eachStepOnce() throws Exception {
    Map<String, String> services = Services.start("postgres");
    String schema = "rkill" + System.nanoTime();
    try (SecureMosquitto mosquitto = SecureMosquitto.start(dir.resolve("mosquitto"))) {
      envs.put("a", env(services, mosquitto, schema, "a"));
      replicas[0] = JarProcess.start("hub", envs.get("a"), dir.resolve("hub-a-0.log"));
      envs.put("b", env(services, mosquitto, schema, "b"));
      for (String role : List.of("root", "release", "hub")) {
        // one set of keys for the deployment
        envs.get("b")
            .put(
                "FERRY_HUB_KEYS_" + role.toUpperCase(),
                dir.resolve("hub-a/keys/" + role + ".pem").toString());
      }
      replicas[1] = JarProcess.start("hub", envs.get("b"), dir.resolve("hub-b-0.log"));
      try {
        HubApi api = new HubApi(replicas[0], TOKEN);
        for (int n = 1; n <= kills; n++) {
          api.publish(MODEL, n + ".0.0", n, dir);
        }
        try (FleetSimulator fleet =
            new FleetSimulator("127.0.0.1", mosquitto.devicePort, schema, api.enrolling(DEVICES))) {
          fleet.connect(DEVICES);
          fleet.register(i -> Map.of("fleet", schema));
          api.awaitFleet(schema, DEVICES);
          fleet.follow(api.trustRoot(), FleetSimulator.HEALTHY);
          rounds(fleet, schema);
        }
      } finally {
        for (JarProcess replica : replicas) {
          replica.close();
        }
      }
    }
  }

  private Map<String, String> env(
      Map<String, String> services, SecureMosquitto mosquitto, String schema, String name) {
    Map<String, String> env =
        new HashMap<>(
            HubApi.onPostgres(services, mosquitto, schema, dir.resolve("hub-" + name), TOKEN));
    env.put("FERRY_HUB_MQTT_CLIENT_ID", "hub-" + name + "-" + schema);
    // reports that the killed replica had in flight are fetched again after 5 s, not 30
    env.put("FERRY_HUB_ROLLOUT_RESYNC_AFTER", "PT5S");
    return env;
  }

  private void rounds(FleetSimulator fleet, String tag) throws Exception {
    List<Duration> takeovers = new ArrayList<>();
    for (int round = 1; round <= kills; round++) {
      int victim = round % 2;
      HubApi onVictim = new HubApi(replicas[victim], TOKEN);
      HubApi onSurvivor = new HubApi(replicas[1 - victim], TOKEN);
      String version = round + ".0.0";
      String id =
          onVictim.rollout(
              MODEL,
              version,
              "\"selector\":\"fleet=" + tag + "\",\"strategy\":{\"waves\":[\"10\",\"100%\"]}");
      onVictim.awaitRollout(id, r -> r.wave() >= 2, "reached wave 2");
      replicas[victim].kill();
      long killed = System.nanoTime();
      Rollout done = onSurvivor.awaitRollout(id, r -> r.state().equals("SUCCEEDED"), "SUCCEEDED");
      takeovers.add(Duration.ofNanos(System.nanoTime() - killed));
      check(fleet, done, round, version);
      String name = victim == 0 ? "a" : "b";
      replicas[victim] =
          JarProcess.start(
              "hub",
              envs.get(name),
              dir.resolve("hub-" + name + "-" + round + ".log"),
              replicas[victim].port);
    }
    long deliveries = fleet.desiredReceived().values().stream().mapToLong(n -> n).sum();
    new Figures("F4 hub replica kills")
        .add("kills", kills)
        .add("rolloutsSucceeded", takeovers.size())
        .add("devices", DEVICES)
        .durations("killToSucceeded", takeovers)
        .add("desiredDeliveries", deliveries)
        .add("distinctDesired", (long) kills * DEVICES)
        .report();
  }

  private static void check(FleetSimulator fleet, Rollout done, int round, String version) {
    assertEquals(DEVICES, (int) done.progress().get("ACTIVE"), "round " + round);
    Map<String, Integer> distinct = fleet.distinctDesiredReceived();
    assertTrue(
        distinct.values().stream().allMatch(n -> n == round),
        "round " + round + ": each device one desired state per rollout: " + distinct);
    for (String device : fleet.ids()) {
      assertEquals(version, fleet.serving(device, MODEL), device + " in round " + round);
    }
  }
}
