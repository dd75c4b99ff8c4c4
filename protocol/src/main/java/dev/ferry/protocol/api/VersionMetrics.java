package dev.ferry.protocol.api;

import dev.ferry.protocol.device.LatencyHistogram;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the fleet served with one model version over a time range: {@code GET
 * /api/v1/models/{name}/versions/{version}/metrics}.
 *
 * @param model the model
 * @param version the version
 * @param from the range's start
 * @param to the range's end
 * @param requests requests served
 * @param errors requests that failed
 * @param errorRate errors / requests, 0 without requests
 * @param errorsByReason failed requests by reason
 * @param latencyMillis p50, p95 and p99 estimates (bucket upper bounds; null without requests)
 * @param latency the summed histogram
 * @param buckets minute by minute
 */
public record VersionMetrics(
    String model,
    String version,
    Instant from,
    Instant to,
    long requests,
    long errors,
    double errorRate,
    Map<String, Long> errorsByReason,
    Map<String, Double> latencyMillis,
    LatencyHistogram latency,
    List<Bucket> buckets) {

  /**
   * One minute.
   *
   * @param start the minute
   * @param requests requests served
   * @param errors requests that failed
   * @param p99Millis the p99 estimate, null without requests
   */
  public record Bucket(Instant start, long requests, long errors, Double p99Millis) {
    /** Drops a quantile that does not exist (NaN or infinite). */
    public Bucket {
      p99Millis = finite(p99Millis);
    }
  }

  /**
   * The metrics of a range, with the error rate and the p50, p95 and p99 estimates computed from
   * the totals.
   *
   * @param model the model
   * @param version the version
   * @param from the range's start
   * @param to the range's end
   * @param requests requests served
   * @param errors requests that failed
   * @param errorsByReason failed requests by reason
   * @param latency the summed histogram
   * @param buckets minute by minute
   * @return the metrics
   */
  public static VersionMetrics of(
      String model,
      String version,
      Instant from,
      Instant to,
      long requests,
      long errors,
      Map<String, Long> errorsByReason,
      LatencyHistogram latency,
      List<Bucket> buckets) {
    Map<String, Double> quantiles = new LinkedHashMap<>();
    quantiles.put("p50", finite(latency.quantileMillis(0.5)));
    quantiles.put("p95", finite(latency.quantileMillis(0.95)));
    quantiles.put("p99", finite(latency.quantileMillis(0.99)));
    return new VersionMetrics(
        model,
        version,
        from,
        to,
        requests,
        errors,
        requests == 0 ? 0 : (double) errors / requests,
        errorsByReason,
        quantiles,
        latency,
        buckets);
  }

  private static Double finite(Double value) {
    return value == null || value.isNaN() || value.isInfinite() ? null : value;
  }
}
