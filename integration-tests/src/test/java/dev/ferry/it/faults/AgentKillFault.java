package dev.ferry.it.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.it.fleet.Oip;
import dev.ferry.protocol.testing.TestHub;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * kill -9 of a real agent process at {@code faults.kills} (default 50) points spread over an update
 * (see {@link KillPoint}), each a new version rolled out: after each restart the agent answers with
 * a verified version (the old or the new one, its outputs those of that version's weights), its
 * cache holds no blob that fails its digest, state.json is complete, and it converges to the
 * desired version. Seeded by {@code faults.seed}, so a failing run can be replayed.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AgentKillFault {
  private static final int[] SHAPE = {1024, 1024};
  private static final long RATE = 4L * 1024 * 1024;

  private final int kills = Figures.knob("faults.kills", 50);
  private final long seed = Long.getLong("faults.seed", 17L);
  private final Random random = new Random(seed);
  private SoloAgent rig;

  @BeforeAll
  void startAgent(@TempDir Path dir) throws Exception {
    rig = new SoloAgent(dir, dir.resolve("agent"));
    rig.start();
    rig.roll(1, SHAPE);
    new Oip(rig.agent()).awaitVersion(SoloAgent.MODEL, Oip.request(SHAPE[0]), version(1));
  }

  @AfterAll
  void stop() throws Exception {
    rig.close();
  }

  private static String version(int n) {
    return n + ".0.0";
  }

  @Test
  void killedAnywhereInAnUpdate_restartsOnAVerifiedVersionAndConverges() throws Exception {
    List<Duration> converge = new ArrayList<>();
    Map<KillPoint, Integer> perPoint = new EnumMap<>(KillPoint.class);
    int servedOld = 0;
    AgentCache cache = new AgentCache(rig.dataDir);
    for (int run = 1; run <= kills; run++) {
      KillPoint point = KillPoint.values()[(run - 1) % KillPoint.values().length];
      String old = version(run);
      String wanted = version(run + 1);
      long killedAt = killDuringUpdate(run + 1, point);
      rig.start();
      String first = firstVerifiedAnswer();
      assertTrue(
          first.equals(old) || first.equals(wanted),
          "run " + run + " (" + point + "): served " + first + ", wanted " + old + " or " + wanted);
      servedOld += first.equals(old) ? 1 : 0;
      new Oip(rig.agent()).awaitVersion(SoloAgent.MODEL, Oip.request(SHAPE[0]), wanted);
      converge.add(Duration.ofNanos(System.nanoTime() - killedAt));
      assertEquals(List.of(), cache.corruptBlobs(), "run " + run + " (" + point + ")");
      assertTrue(cache.stateFileComplete(), "run " + run + " (" + point + "): state.json");
      perPoint.merge(point, 1, Integer::sum);
    }
    new Figures("F1 agent kill -9")
        .add("runs", kills)
        .add("recoveries", converge.size())
        .add("perPoint", perPoint)
        .add("restartedOnOld", servedOld)
        .add("restartedOnNew", kills - servedOld)
        .durations("converge", converge)
        .add("leftoverTmp", cache.leftoverTemporaries().size())
        .add("seed", seed)
        .report();
    assertEquals(kills, converge.size());
  }

  /** Rolls release n out and kills the agent at the point; returns when it died (nanoTime). */
  private long killDuringUpdate(int n, KillPoint point) throws Exception {
    rig.registry.throttle(point == KillPoint.DOWNLOAD ? RATE : 0);
    int mark = rig.wire.mark();
    TestHub.Release release = rig.roll(n, SHAPE);
    if (point == KillPoint.DOWNLOAD) {
      long size = release.modelLayer().size();
      awaitSize(rig.partial(release), (long) (size * (0.05 + 0.9 * random.nextDouble())));
    } else {
      rig.wire.await(
          mark,
          e -> e.type() == point.after && e.desiredSequence() == rig.sequence(),
          point.name());
      Thread.sleep(random.nextInt(point.jitterMillis + 1));
    }
    rig.agent().kill();
    long killedAt = System.nanoTime();
    rig.registry.throttle(0);
    return killedAt;
  }

  private static void awaitSize(Path file, long atLeast) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < deadline) {
      if (Files.exists(file) && Files.size(file) >= atLeast) {
        return;
      }
      Thread.sleep(5);
    }
    throw new AssertionError(file + " never reached " + atLeast + " bytes");
  }

  /**
   * The version of the first 200 answer after a restart, checked against that version's weights (a
   * half-loaded or mixed model would answer other numbers).
   */
  private String firstVerifiedAnswer() throws Exception {
    Oip oip = new Oip(rig.agent());
    String body = Oip.request(SHAPE[0]);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    HttpResponse<String> response = oip.infer(SoloAgent.MODEL, body);
    while (response.statusCode() != 200 && System.nanoTime() < deadline) {
      Thread.sleep(50);
      response = oip.infer(SoloAgent.MODEL, body);
    }
    assertEquals(200, response.statusCode(), response.body());
    JsonNode answer = Oip.JSON.readTree(response.body());
    String served = answer.get("model_version").asText();
    TestHub.Release release = rig.release(served);
    assertTrue(release != null, "served a version never rolled out: " + served);
    assertOutputsOf(release, answer.get("outputs").get(0).get("data"));
    return served;
  }

  private static void assertOutputsOf(TestHub.Release release, JsonNode data) {
    double[] x = new double[SHAPE[0]];
    for (int i = 0; i < x.length; i++) {
      x[i] = i + 1;
    }
    double[] expected = release.linear().apply(x);
    assertEquals(expected.length, data.size(), "outputs of " + release.version());
    for (int j = 0; j < expected.length; j++) {
      assertEquals(
          expected[j], data.get(j).asDouble(), 1e-3, "y[" + j + "] of " + release.version());
    }
  }
}
