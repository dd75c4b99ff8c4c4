package dev.ferry.agent.sync;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;

/**
 * Independent pieces of work done side by side, on up to a given number of threads made for them
 * and gone after (on the caller's thread, in order, where one would do). The results come back in
 * the items' order, once all are done.
 */
final class SideBySide {
  private SideBySide() {}

  /**
   * Applies {@code work} to every item.
   *
   * @param threads at most this many run at once (at least 1)
   * @param name the threads' name
   * @throws RuntimeException what the work of the first item (in order) that failed threw, once
   *     every item's work is done
   */
  static <T, R> List<R> map(List<T> items, int threads, String name, Function<T, R> work) {
    if (threads < 1) {
      throw new IllegalArgumentException("threads must be at least 1, not " + threads);
    }
    int used = Math.min(threads, items.size());
    if (used <= 1) {
      return items.stream().map(work).toList();
    }
    ExecutorService pool = Executors.newFixedThreadPool(used, Threads.daemon(name));
    try {
      List<CompletableFuture<R>> running =
          items.stream()
              .map(item -> CompletableFuture.supplyAsync(() -> work.apply(item), pool))
              .toList();
      CompletableFuture.allOf(running.toArray(CompletableFuture[]::new))
          .handle((done, failure) -> null)
          .join();
      return running.stream().map(SideBySide::result).toList();
    } finally {
      pool.shutdown();
    }
  }

  private static <R> R result(CompletableFuture<R> done) {
    try {
      return done.join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof RuntimeException cause) {
        throw cause;
      }
      if (e.getCause() instanceof Error cause) {
        throw cause;
      }
      throw e;
    }
  }
}
