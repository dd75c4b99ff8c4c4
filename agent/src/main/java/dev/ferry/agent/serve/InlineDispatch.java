package dev.ferry.agent.serve;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Where an infer request runs: on the event loop that read it when its model's requests are known
 * to take almost nothing (a worker's hand-off there and back would cost more than the run), else on
 * a worker thread. Known means a moving average of the model's recent requests, parse to written
 * answer, under {@link #INLINE_NANOS}; a model's first request, and every request with a body over
 * {@link #INLINE_BODY_BYTES}, go to a worker. A request that turns out slow moves its model's next
 * ones back to the workers, so the loop is held up at most once by surprise. REST ({@link
 * InferRoute}) and gRPC share it: a model's requests take about the same time by either.
 */
@ApplicationScoped
public class InlineDispatch {
  /** A model whose requests average under this runs inline: 100 µs. */
  static final long INLINE_NANOS = 100_000;

  /** The largest body run inline: 64 KiB. */
  static final long INLINE_BODY_BYTES = 64 << 10;

  private final Map<String, Long> averageNanos = new ConcurrentHashMap<>();

  /**
   * Whether to run a request on the event loop.
   *
   * @param model the model it names
   * @param bodyBytes its body's length
   * @return true to run it inline
   */
  public boolean inline(String model, long bodyBytes) {
    Long average = averageNanos.get(model);
    return average != null && average < INLINE_NANOS && bodyBytes <= INLINE_BODY_BYTES;
  }

  /**
   * Counts what a request of a model took, wherever it ran: an average over about the last eight.
   *
   * @param model the model
   * @param nanos its time from parse to written answer
   */
  public void took(String model, long nanos) {
    averageNanos.merge(model, nanos, (average, now) -> average + (now - average) / 8);
  }
}
