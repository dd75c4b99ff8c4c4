package dev.ferry.protocol.device;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.ferry.protocol.json.FieldException;
import dev.ferry.protocol.json.Fields;
import dev.ferry.protocol.json.MaxBytes;
import dev.ferry.protocol.json.Schema;
import dev.ferry.protocol.release.ModelNames;
import java.time.Instant;

/**
 * One step of applying a desired state, published on the device's {@code events} topic.
 *
 * @param id a unique id, so the hub can drop a duplicate delivery
 * @param deviceId the device
 * @param at when it happened
 * @param type what happened
 * @param desiredSequence the desired state it belongs to
 * @param model the model, null for events about the whole desired state
 * @param version the model version, null if not known
 * @param bytesDone for progress: bytes fetched so far
 * @param bytesTotal for progress: bytes to fetch in all
 * @param reason for rejections, failures and rollbacks: why
 */
@Schema("ferry.event/v1")
@MaxBytes(256 << 10)
public record DeviceEvent(
    String id,
    String deviceId,
    Instant at,
    EventType type,
    @JsonProperty(required = true) long desiredSequence,
    String model,
    String version,
    Long bytesDone,
    Long bytesTotal,
    String reason) {
  /** Checks the fields. */
  public DeviceEvent {
    Fields.text(id, "id");
    DeviceIds.require(deviceId, "deviceId");
    Fields.required(at, "at");
    Fields.required(type, "type");
    Fields.atLeast(desiredSequence, 0, "desiredSequence");
    if (model != null) {
      ModelNames.requireName(model, "model");
    }
    if (bytesDone != null && bytesTotal != null && bytesDone > bytesTotal) {
      throw new FieldException(
          "bytesDone", "must not exceed bytesTotal " + bytesTotal + ", got " + bytesDone);
    }
  }
}
