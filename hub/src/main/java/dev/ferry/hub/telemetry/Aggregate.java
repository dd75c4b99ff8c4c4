package dev.ferry.hub.telemetry;

import dev.ferry.protocol.device.LatencyHistogram;
import java.util.Map;
import java.util.TreeMap;

/** Counts of one model version in one minute, summed from many batches before they are stored. */
final class Aggregate {
  long requests;
  long errors;
  final Map<String, Long> errorsByReason = new TreeMap<>();
  LatencyHistogram latency = LatencyHistogram.empty();

  void add(dev.ferry.protocol.device.ModelTelemetry telemetry) {
    requests += telemetry.requests();
    telemetry
        .errors()
        .forEach(
            (reason, count) -> {
              errors += count;
              errorsByReason.merge(reason, count, Long::sum);
            });
    if (telemetry.latency().boundsMillis().equals(LatencyHistogram.STANDARD_BOUNDS_MILLIS)) {
      latency = latency.plus(telemetry.latency());
    }
  }
}
