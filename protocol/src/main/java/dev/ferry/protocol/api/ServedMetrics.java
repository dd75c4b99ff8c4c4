package dev.ferry.protocol.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.ferry.protocol.device.LatencyHistogram;

/**
 * What the devices of a {@link Rollout} with metric gates served of one version, on one execution
 * provider and release variant, while it ran: what the gates judge, each variant on its own.
 *
 * @param version the version that served
 * @param provider the execution provider it ran on; empty for totals summed before providers were
 *     recorded
 * @param variant the release variant; null for the release's only or default one (telemetry that
 *     names none)
 * @param requests requests served
 * @param errors requests that failed
 * @param errorRate errors / requests, 0 without requests
 * @param p99Millis the p99 latency estimate (a bucket's upper bound); null without requests or when
 *     it falls above the last bucket
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ServedMetrics(
    String version,
    String provider,
    String variant,
    long requests,
    long errors,
    double errorRate,
    Double p99Millis) {

  /**
   * The metrics of totals, with the error rate and the p99 estimate computed from them.
   *
   * @param version the version that served
   * @param provider the execution provider
   * @param variant the release variant, or null for the default one
   * @param requests requests served
   * @param errors requests that failed
   * @param latency their latency histogram
   * @return the metrics
   */
  public static ServedMetrics of(
      String version,
      String provider,
      String variant,
      long requests,
      long errors,
      LatencyHistogram latency) {
    double p99 = latency.quantileMillis(0.99);
    return new ServedMetrics(
        version,
        provider,
        variant,
        requests,
        errors,
        requests == 0 ? 0 : (double) errors / requests,
        Double.isFinite(p99) ? p99 : null);
  }
}
