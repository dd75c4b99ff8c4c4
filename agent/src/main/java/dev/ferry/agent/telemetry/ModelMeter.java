package dev.ferry.agent.telemetry;

import dev.ferry.protocol.device.LatencyHistogram;
import dev.ferry.protocol.device.ModelTelemetry;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * The counts of one model version since the agent started: requests, errors by reason and a latency
 * histogram over {@link LatencyHistogram#STANDARD_BOUNDS_MILLIS}. Lock-free on the request path.
 */
final class ModelMeter {
  private static final double[] BOUNDS =
      LatencyHistogram.STANDARD_BOUNDS_MILLIS.stream().mapToDouble(Double::doubleValue).toArray();

  private final ServedBy servedBy;
  private final LongAdder requests = new LongAdder();
  private final Map<String, LongAdder> errors = new ConcurrentHashMap<>();
  private final LongAdder[] buckets = new LongAdder[BOUNDS.length + 1];

  ModelMeter(ServedBy servedBy) {
    this.servedBy = servedBy;
    for (int i = 0; i < buckets.length; i++) {
      buckets[i] = new LongAdder();
    }
  }

  void record(long nanos, String errorReason) {
    requests.increment();
    if (errorReason != null) {
      errors.computeIfAbsent(errorReason, reason -> new LongAdder()).increment();
    }
    double millis = nanos / 1e6;
    int bucket = 0;
    while (bucket < BOUNDS.length && millis > BOUNDS[bucket]) {
      bucket++;
    }
    buckets[bucket].increment();
  }

  long requests() {
    return requests.sum();
  }

  double errors(String reason) {
    LongAdder count = errors.get(reason);
    return count == null ? 0 : count.sum();
  }

  /** The counts so far. */
  ModelTelemetry cumulative() {
    Map<String, Long> errorCounts = new TreeMap<>();
    errors.forEach((reason, count) -> errorCounts.put(reason, count.sum()));
    List<Long> counts = java.util.Arrays.stream(buckets).map(LongAdder::sum).toList();
    return new ModelTelemetry(
        servedBy.model(),
        servedBy.version(),
        servedBy.provider(),
        requests.sum(),
        errorCounts,
        new LatencyHistogram(LatencyHistogram.STANDARD_BOUNDS_MILLIS, counts),
        servedBy.variant());
  }
}
