package dev.ferry.hub.rollout;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.hub.HubTestProfile;
import dev.ferry.hub.db.Database;
import dev.ferry.hub.db.Jdbc;
import dev.ferry.hub.fleet.HubMqtt;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Each chunk of a fan-out holds its rollout's next engine step off, so that no engine steps a
 * rollout whose chunks are still coming or being published; once all are published the step is due
 * at once. The engine's timer is idle here (a tick of an hour), so that a step left due is seen
 * rather than taken.
 */
@QuarkusTest
@TestProfile(FanOutDeferTest.IdleEngine.class)
class FanOutDeferTest {
  private static final Duration TICK = Duration.ofHours(1);

  /** The hub with an engine that does not step anything during a test. */
  public static class IdleEngine extends HubTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      Map<String, String> config = new HashMap<>(super.getConfigOverrides());
      config.put("ferry.hub.rollout.tick", TICK.toString());
      return config;
    }
  }

  @Inject Clock clock;
  @Inject Database db;
  @Inject RolloutSteps steps;
  @Inject FanOut fanOut;
  @Inject HubMqtt mqtt;

  @Test
  void complete_holdsTheNextStepOffWhileItsChunksGoOut_thenMakesItDue() throws Exception {
    String model = RolloutTest.publish("defer" + System.nanoTime(), "1.0.0");
    List<String> devices = FanOutTest.ids("defer-" + System.nanoTime() + "-", 700);
    try {
      Instant startAt = clock.instant().plusSeconds(3600).truncatedTo(ChronoUnit.MILLIS);
      String id = FanOutTest.create(model, devices, "{\"startAt\":\"" + startAt + "\"}");
      Change first =
          db.transaction(c -> steps.step(c, RolloutStore.lock(c, id).orElseThrow(), startAt));
      assertTrue(first.more());
      // the step falls due while the chunks are signed, as when the first chunk took long
      Instant due = clock.instant().minusSeconds(60).truncatedTo(ChronoUnit.MILLIS);
      db.transaction(
          c -> Jdbc.update(c, "UPDATE rollout SET next_step_at = ? WHERE id = ?", due, id));
      Instant chunksStart = clock.instant().truncatedTo(ChronoUnit.MILLIS);

      java.util.concurrent.CompletableFuture<Integer> fanningOut =
          java.util.concurrent.CompletableFuture.supplyAsync(() -> fanOut.complete(first));
      Instant latest = due;
      while (!fanningOut.isDone()) {
        Instant seen = FanOutTest.nextStep(db, id);
        latest = seen.isAfter(latest) ? seen : latest;
        Thread.sleep(2);
      }
      fanningOut.get();

      assertFalse(
          latest.isBefore(chunksStart.plus(TICK.multipliedBy(10))),
          "next step " + latest + " not held ten ticks past the chunks started at " + chunksStart);
      Instant next = FanOutTest.nextStep(db, id);
      assertFalse(
          next.isAfter(clock.instant()), "next step " + next + " not due once all is published");
    } finally {
      FanOutTest.clearRetained(mqtt, devices);
    }
  }
}
