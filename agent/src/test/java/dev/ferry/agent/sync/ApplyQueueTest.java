package dev.ferry.agent.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.agent.fetch.Backoff;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The apply thread keeps only the newest desired state and retries every failure with backoff. */
class ApplyQueueTest {
  private static final Backoff FAST = new Backoff(Duration.ofMillis(1), Duration.ofMillis(5), 99);

  private final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor();
  private final List<String> calls = new CopyOnWriteArrayList<>();
  private final AtomicInteger failuresLeft = new AtomicInteger();
  private final CountDownLatch settled = new CountDownLatch(1);

  /** Records calls; apply throws while failures are left; a reconcile that succeeds settles. */
  private final ApplyQueue.Target target =
      new ApplyQueue.Target() {
        @Override
        public boolean apply(byte[] payload) {
          String text = new String(payload, StandardCharsets.UTF_8);
          calls.add("apply " + text);
          if (failuresLeft.getAndDecrement() > 0) {
            throw new UncheckedIOException(new java.io.IOException("No space left on device"));
          }
          return false;
        }

        @Override
        public boolean reconcile() {
          calls.add("reconcile");
          settled.countDown();
          return false;
        }

        @Override
        public void failed(RuntimeException failure) {
          calls.add("failed " + failure.getMessage());
        }
      };

  private final ApplyQueue queue = new ApplyQueue(executor, FAST, target);

  @AfterEach
  void stop() {
    executor.shutdownNow();
  }

  @Test
  void statesThatArriveWhileOneApplies_leaveOnlyTheNewestWaiting() throws Exception {
    CountDownLatch busy = new CountDownLatch(1);
    executor.execute(() -> await(busy));
    assertFalse(queue.waiting());
    for (String state : List.of("s1", "s2", "s3")) {
      queue.offer(state.getBytes(StandardCharsets.UTF_8));
    }
    assertTrue(queue.waiting(), "what runs now may give way to it");
    busy.countDown();
    queue.reconcile();
    assertTrue(settled.await(10, TimeUnit.SECONDS));
    assertEquals(List.of("apply s3", "reconcile"), calls);
    assertFalse(queue.waiting());
  }

  @Test
  void aFailureEscapingTheApplier_isReportedAndRetriedUntilItWorks() throws Exception {
    failuresLeft.set(2);
    queue.offer("s1".getBytes(StandardCharsets.UTF_8));
    assertTrue(settled.await(10, TimeUnit.SECONDS));
    assertEquals(
        List.of(
            "apply s1",
            "failed java.io.IOException: No space left on device",
            "apply s1",
            "failed java.io.IOException: No space left on device",
            "apply s1",
            "reconcile"),
        calls);
  }

  private static void await(CountDownLatch latch) {
    try {
      latch.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
