package dev.ferry.agent.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

/** Work on several items runs at once, up to the limit, and comes back in the items' order. */
class SideBySideTest {
  @Test
  void twoThreads_runTwoItemsAtOnce_resultsInTheItemsOrder() {
    // each item's work waits for the other's to start: done one after the other, neither returns
    CyclicBarrier bothRunning = new CyclicBarrier(2);
    Set<String> threads = ConcurrentHashMap.newKeySet();
    List<String> results =
        SideBySide.map(
            List.of("slow", "fast"),
            2,
            "test-side",
            item -> {
              threads.add(Thread.currentThread().getName());
              await(bothRunning);
              if (item.equals("slow")) {
                sleep(50);
              }
              return item.toUpperCase();
            });
    assertEquals(List.of("SLOW", "FAST"), results);
    assertEquals(Set.of("test-side"), threads);
  }

  @Test
  void oneThread_runsOnTheCallersThreadInOrder() {
    List<String> seen = new java.util.ArrayList<>();
    String caller = Thread.currentThread().getName();
    List<Integer> results =
        SideBySide.map(
            List.of(3, 1, 2),
            1,
            "test-side",
            item -> {
              seen.add(Thread.currentThread().getName() + ":" + item);
              return item * 10;
            });
    assertEquals(List.of(30, 10, 20), results);
    assertEquals(List.of(caller + ":3", caller + ":1", caller + ":2"), seen);
  }

  @Test
  void moreThreadsThanItems_aSingleItemRunsOnTheCaller() {
    String caller = Thread.currentThread().getName();
    assertEquals(
        List.of(caller),
        SideBySide.map(List.of("x"), 8, "test-side", x -> Thread.currentThread().getName()));
    assertEquals(List.of(), SideBySide.map(List.<String>of(), 8, "test-side", x -> x));
  }

  @Test
  void aFailure_isThrownOnlyOnceEveryItemsWorkIsDone() {
    Set<Integer> finished = ConcurrentHashMap.newKeySet();
    IllegalStateException thrown =
        assertThrows(
            IllegalStateException.class,
            () ->
                SideBySide.map(
                    List.of(1, 2, 3),
                    3,
                    "test-side",
                    item -> {
                      if (item == 1) {
                        throw new IllegalStateException("item 1 broke");
                      }
                      sleep(100);
                      finished.add(item);
                      return item;
                    }));
    assertEquals("item 1 broke", thrown.getMessage());
    assertEquals(Set.of(2, 3), finished, "the others' work had finished when it was thrown");
  }

  @Test
  void noThreads_isRefusedNamingTheCount() {
    IllegalArgumentException refused =
        assertThrows(
            IllegalArgumentException.class,
            () -> SideBySide.map(List.of(1), 0, "test-side", x -> x));
    assertTrue(refused.getMessage().contains("not 0"), refused.getMessage());
  }

  private static void await(CyclicBarrier barrier) {
    try {
      barrier.await(10, TimeUnit.SECONDS);
    } catch (InterruptedException | BrokenBarrierException | TimeoutException e) {
      throw new AssertionError("the other item's work never ran beside this one", e);
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }
}
