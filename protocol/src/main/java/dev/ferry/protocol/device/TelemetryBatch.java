package dev.ferry.protocol.device;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.ferry.protocol.json.FieldException;
import dev.ferry.protocol.json.Fields;
import dev.ferry.protocol.json.MaxBytes;
import dev.ferry.protocol.json.Schema;
import java.time.Instant;
import java.util.List;

/**
 * One telemetry interval of a device, published on its {@code telemetry} topic. Batches that could
 * not be sent wait in the agent's journal; the hub counts each {@code (deviceId, seq)} once.
 *
 * @param deviceId the device
 * @param seq grows by one per batch the agent makes
 * @param from start of the interval
 * @param to end of the interval
 * @param droppedBatches batches the agent dropped, in all, because its journal was full
 * @param models per model version figures
 * @param device device figures; null when not collected
 */
@Schema("ferry.telemetry/v1")
@MaxBytes(1 << 20)
public record TelemetryBatch(
    String deviceId,
    @JsonProperty(required = true) long seq,
    Instant from,
    Instant to,
    long droppedBatches,
    List<ModelTelemetry> models,
    DeviceMetrics device) {
  /** Checks the fields. */
  public TelemetryBatch {
    DeviceIds.require(deviceId, "deviceId");
    Fields.atLeast(seq, 1, "seq");
    Fields.required(from, "from");
    Fields.required(to, "to");
    if (to.isBefore(from)) {
      throw new FieldException("to", "must not be before from " + from + ", got " + to);
    }
    Fields.atLeast(droppedBatches, 0, "droppedBatches");
    models = Fields.list(models, "models");
  }
}
