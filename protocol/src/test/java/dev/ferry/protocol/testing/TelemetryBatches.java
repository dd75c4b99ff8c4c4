package dev.ferry.protocol.testing;

import dev.ferry.protocol.device.DeviceMetrics;
import dev.ferry.protocol.device.LatencyHistogram;
import dev.ferry.protocol.device.ModelTelemetry;
import dev.ferry.protocol.device.TelemetryBatch;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/** Telemetry batches as a device sends them, for tests and the fleet simulator. */
public final class TelemetryBatches {
  private TelemetryBatches() {}

  /**
   * A batch of the last second: one model version's requests, all in the 1–2 ms latency bucket.
   *
   * @param deviceId the device
   * @param seq the batch's sequence
   * @param model the model
   * @param version the version that served
   * @param requests requests served
   * @param errors of which failed ({@code inference_failed})
   * @param device the device's own metrics, or null
   * @return the batch
   */
  public static TelemetryBatch of(
      String deviceId,
      long seq,
      String model,
      String version,
      long requests,
      long errors,
      DeviceMetrics device) {
    List<Long> counts =
        new ArrayList<>(
            Collections.nCopies(LatencyHistogram.STANDARD_BOUNDS_MILLIS.size() + 1, 0L));
    counts.set(2, requests);
    Instant now = Instant.now();
    return new TelemetryBatch(
        deviceId,
        seq,
        now.minusSeconds(1),
        now,
        0,
        List.of(
            new ModelTelemetry(
                model,
                version,
                "CPU",
                requests,
                errors == 0 ? Map.of() : Map.of("inference_failed", errors),
                new LatencyHistogram(LatencyHistogram.STANDARD_BOUNDS_MILLIS, counts))),
        device);
  }

  /**
   * The same batch with every model's telemetry naming a release variant.
   *
   * @param batch the batch
   * @param variant the variant that served
   * @return the batch as the device serving that variant sends it
   */
  public static TelemetryBatch served(TelemetryBatch batch, String variant) {
    return new TelemetryBatch(
        batch.deviceId(),
        batch.seq(),
        batch.from(),
        batch.to(),
        batch.droppedBatches(),
        batch.models().stream()
            .map(
                m ->
                    new ModelTelemetry(
                        m.name(),
                        m.version(),
                        m.executionProvider(),
                        m.requests(),
                        m.errors(),
                        m.latency(),
                        variant))
            .toList(),
        batch.device());
  }
}
