package dev.ferry.hub.rollout;

import dev.ferry.hub.config.HubConfig;
import dev.ferry.hub.db.Database;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.jboss.logging.Logger;

/**
 * Finishes a committed change's fan-out: publishes its desired states and, while its rollout has
 * devices left waiting (for the release, or for its prefetch to be sent or withdrawn), signs and
 * commits the next chunk while the last is being published. Each chunk is published only after its
 * commit; a hub that stops between chunks leaves the rest WAITING in a running wave, which the
 * engine's next step on any replica carries on with (an ended rollout's prefetch goes from the
 * desired states left when the {@link Resigner} signs them again).
 */
@ApplicationScoped
class FanOut {
  private static final Logger LOG = Logger.getLogger(FanOut.class);

  /** Chunks committed and not yet published, at most: bounds the memory of a large fan-out. */
  private static final int AHEAD = 4;

  /** How many ticks a chunk holds the rollout's next engine step off. */
  private static final int HOLD_TICKS = 10;

  @Inject Clock clock;
  @Inject HubConfig config;
  @Inject Database db;
  @Inject RolloutSteps steps;
  @Inject DesiredStates desired;

  // one thread, so that the chunks go out in the order they were committed
  private final ExecutorService publisher =
      Executors.newSingleThreadExecutor(
          task -> {
            Thread thread = new Thread(task, "ferry-desired-publisher");
            thread.setDaemon(true);
            return thread;
          });

  @PreDestroy
  void stop() {
    publisher.shutdownNow();
  }

  /**
   * Publishes a committed change's desired states and signs, commits and publishes the chunks that
   * follow it; returns when all are published (or left to the sweep, the broker being away).
   *
   * @param change the change, committed
   * @return how many desired states were signed, the change's included
   */
  int complete(Change change) {
    if (!change.more()) {
      desired.publish(change.signed());
      return change.signed().size();
    }
    Deque<Future<?>> publishing = new ArrayDeque<>();
    publishing.add(submit(change.signed()));
    int signed = change.signed().size();
    Change last = change;
    long storing = 0;
    long waiting = 0;
    int chunk = 1;
    for (; last.more(); chunk++) {
      long started = System.nanoTime();
      last = next(change.rollout().id(), ChunkSizes.FAN_OUT.of(chunk));
      long stored = System.nanoTime();
      if (publishing.size() >= AHEAD) {
        await(publishing.poll());
      }
      waiting += System.nanoTime() - stored;
      storing += stored - started;
      publishing.add(submit(last.signed()));
      signed += last.signed().size();
    }
    long drained = System.nanoTime();
    while (!publishing.isEmpty()) {
      await(publishing.poll());
    }
    String id = change.rollout().id();
    LOG.infof(
        "fan-out of rollout %s: %d chunks after the first signed and stored in %d ms; %d ms waited"
            + " on the publishing of earlier chunks, %d ms for the last %d to be published",
        id,
        chunk - 1,
        storing / 1_000_000,
        waiting / 1_000_000,
        (System.nanoTime() - drained) / 1_000_000,
        Math.min(AHEAD, chunk));
    db.transaction(
        c -> {
          RolloutStore.stepDue(c, id, clock.instant()); // its progress is read at once
          return null;
        });
    return signed;
  }

  /**
   * Signs and commits the next chunk, holding the rollout's row lock. The engine's next step of the
   * rollout moves {@value #HOLD_TICKS} ticks past the chunk, and is due again once every chunk is
   * published: while the fan-out goes on, no engine (this replica's or another's) steps it, which
   * would read its devices' progress on the cores the fan-out uses, look for new devices and start
   * a second fan-out loop competing for the same lock; a hub that stops during the fan-out leaves
   * the step due that many ticks later.
   */
  private Change next(String rolloutId, int size) {
    Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
    return db.transaction(
        c -> {
          RolloutRow r = RolloutStore.lock(c, rolloutId).orElseThrow();
          RolloutStore.deferStep(
              c, rolloutId, now.plus(config.rollout().tick().multipliedBy(HOLD_TICKS)));
          return steps.nextChunk(c, r, size, now);
        });
  }

  private Future<?> submit(Map<String, DesiredStates.Signed> chunk) {
    return publisher.submit(() -> desired.publish(chunk));
  }

  private static void await(Future<?> published) {
    try {
      published.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while desired states were published", e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException failed) {
        throw failed;
      }
      throw new IllegalStateException("publishing desired states failed", e.getCause());
    }
  }
}
