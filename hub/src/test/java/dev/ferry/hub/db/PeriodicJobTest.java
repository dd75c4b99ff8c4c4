package dev.ferry.hub.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The hub's periodic jobs: a failing run is logged and the next run still comes; stopping lets a
 * run in progress finish, and interrupts only one that outlasts the grace.
 */
class PeriodicJobTest {
  @Test
  void runOnce_keepsAFailureFromTheCaller() {
    AtomicInteger runs = new AtomicInteger();
    PeriodicJob job =
        new PeriodicJob(
            "test job",
            Duration.ofHours(1),
            Duration.ofHours(1),
            () -> {
              runs.incrementAndGet();
              throw new IllegalStateException("registry unreachable");
            });

    job.runOnce();
    job.runOnce();

    assertEquals(2, runs.get());
  }

  @Test
  void start_runsAgainAfterARunThatFailedUntilStopped() throws InterruptedException {
    CountDownLatch three = new CountDownLatch(3);
    AtomicInteger runs = new AtomicInteger();
    PeriodicJob job =
        new PeriodicJob(
            "test job",
            Duration.ofMillis(1),
            Duration.ofMillis(1),
            () -> {
              runs.incrementAndGet();
              three.countDown();
              throw new IllegalStateException("database unreachable");
            });

    job.start();
    try {
      assertTrue(three.await(30, TimeUnit.SECONDS), "runs: " + runs.get());
    } finally {
      job.stop();
    }
  }

  @Test
  void stop_letsARunInProgressFinish_andReturnsAfterIt() throws InterruptedException {
    CountDownLatch started = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    AtomicBoolean interrupted = new AtomicBoolean();
    AtomicBoolean finished = new AtomicBoolean();
    AtomicInteger runs = new AtomicInteger();
    PeriodicJob job =
        new PeriodicJob(
            "test job",
            Duration.ZERO,
            Duration.ofMillis(1),
            () -> {
              runs.incrementAndGet();
              started.countDown();
              try {
                release.await();
                finished.set(true);
              } catch (InterruptedException e) {
                interrupted.set(true);
              }
            },
            Duration.ofSeconds(30));

    job.start();
    assertTrue(started.await(30, TimeUnit.SECONDS));
    Thread stopping = new Thread(job::stop);
    stopping.start();
    stopping.join(200);
    assertTrue(stopping.isAlive(), "stop returned while a run was in progress");
    release.countDown();
    stopping.join(30_000);

    assertFalse(stopping.isAlive());
    assertTrue(finished.get());
    assertFalse(interrupted.get());
    assertEquals(1, runs.get(), "a run started after stop");
  }

  @Test
  void stop_interruptsARunThatOutlastsTheGrace() throws InterruptedException {
    CountDownLatch started = new CountDownLatch(1);
    CountDownLatch interrupted = new CountDownLatch(1);
    PeriodicJob job =
        new PeriodicJob(
            "test job",
            Duration.ZERO,
            Duration.ofHours(1),
            () -> {
              started.countDown();
              try {
                new CountDownLatch(1).await();
              } catch (InterruptedException e) {
                interrupted.countDown();
              }
            },
            Duration.ofMillis(50));

    job.start();
    assertTrue(started.await(30, TimeUnit.SECONDS));
    job.stop();

    assertTrue(interrupted.await(30, TimeUnit.SECONDS));
  }
}
