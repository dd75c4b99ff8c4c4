package dev.ferry.protocol;

import dev.ferry.protocol.device.TelemetryBatch;
import dev.ferry.protocol.testing.FuzzTarget;
import dev.ferry.protocol.testing.Fuzzing;

/**
 * Jazzer on {@code JsonCodec.decode(…, TelemetryBatch)}, seeded by the corpus {@code
 * fuzz/telemetry-batch}.
 */
class TelemetryBatchFuzz extends FuzzTarget {
  @Override
  protected Fuzzing target() {
    return WireTargets.decoding("telemetry-batch", TelemetryBatch.class);
  }
}
