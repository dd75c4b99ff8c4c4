package dev.ferry.hub.telemetry;

import dev.ferry.protocol.device.LatencyHistogram;
import dev.ferry.protocol.device.ModelTelemetry;
import dev.ferry.protocol.json.Fields;
import java.util.Map;
import java.util.TreeMap;

/**
 * Counts of one model version in one minute, summed from many batches before they are stored; sums
 * saturate at {@link Fields#MAX_COUNT}, so no device's figures make them wrap.
 */
final class Aggregate {
  long requests;
  long errors;
  final Map<String, Long> errorsByReason = new TreeMap<>();
  LatencyHistogram latency = LatencyHistogram.empty();

  void add(ModelTelemetry telemetry) {
    requests = Fields.addCounts(requests, telemetry.requests());
    telemetry
        .errors()
        .forEach(
            (reason, count) -> {
              errors = Fields.addCounts(errors, count);
              errorsByReason.merge(reason, count, Fields::addCounts);
            });
    if (telemetry.latency().boundsMillis().equals(LatencyHistogram.STANDARD_BOUNDS_MILLIS)) {
      latency = latency.plus(telemetry.latency());
    }
  }
}
