package dev.ferry.hub.capture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The capture jobs' schedule: a failing run is logged, and the next run still comes. */
class CaptureScheduleTest {
  @Test
  void runOnce_keepsAFailureFromTheCaller() {
    AtomicInteger runs = new AtomicInteger();
    CaptureSchedule schedule =
        new CaptureSchedule(
            "test job",
            Duration.ofHours(1),
            Duration.ofHours(1),
            () -> {
              runs.incrementAndGet();
              throw new IllegalStateException("registry unreachable");
            });

    schedule.runOnce();
    schedule.runOnce();

    assertEquals(2, runs.get());
  }

  @Test
  void start_runsAgainAfterARunThatFailedUntilStopped() throws InterruptedException {
    CountDownLatch three = new CountDownLatch(3);
    AtomicInteger runs = new AtomicInteger();
    CaptureSchedule schedule =
        new CaptureSchedule(
            "test job",
            Duration.ofMillis(1),
            Duration.ofMillis(1),
            () -> {
              runs.incrementAndGet();
              three.countDown();
              throw new IllegalStateException("database unreachable");
            });

    schedule.start();
    try {
      assertTrue(three.await(30, TimeUnit.SECONDS), "runs: " + runs.get());
    } finally {
      schedule.stop();
    }
  }

  @Test
  void stop_interruptsARunInProgress() throws InterruptedException {
    CountDownLatch started = new CountDownLatch(1);
    CountDownLatch interrupted = new CountDownLatch(1);
    CaptureSchedule schedule =
        new CaptureSchedule(
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
            });

    schedule.start();
    assertTrue(started.await(30, TimeUnit.SECONDS));
    schedule.stop();

    assertTrue(interrupted.await(30, TimeUnit.SECONDS));
  }
}
