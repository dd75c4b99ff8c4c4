package dev.ferry.protocol.device;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.ferry.protocol.json.Fields;
import dev.ferry.protocol.json.MaxBytes;
import dev.ferry.protocol.json.Schema;
import java.time.Instant;

/**
 * Whether a device is connected, published retained on its {@code online} topic; the offline form
 * is the agent's MQTT will.
 *
 * @param deviceId the device
 * @param online true when connected
 * @param at when the agent wrote it (for a will: when the agent connected)
 * @param agentVersion the agent's version
 */
@Schema("ferry.presence/v1")
@MaxBytes(256 << 10)
public record Presence(
    String deviceId,
    @JsonProperty(required = true) boolean online,
    Instant at,
    String agentVersion) {
  /** Checks the fields. */
  public Presence {
    DeviceIds.require(deviceId, "deviceId");
    Fields.required(at, "at");
  }
}
