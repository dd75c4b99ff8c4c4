package dev.ferry.protocol.device;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.ferry.protocol.json.FieldException;
import dev.ferry.protocol.json.Fields;
import dev.ferry.protocol.json.MaxBytes;
import dev.ferry.protocol.json.Schema;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * What a device must serve: every model assigned to it. Signed by the hub role as a DSSE envelope
 * of type {@link dev.ferry.protocol.signing.PayloadTypes#DESIRED} and published retained on the
 * device's {@code desired} topic.
 *
 * @param deviceId the device this state is for
 * @param sequence grows with each state for the device; an agent accepts only a higher one
 * @param issuedAt when the hub signed it
 * @param expiresAt after this the agent stops applying it (freeze attack) until re-signed
 * @param models the full set of assigned models; empty unassigns everything
 */
@Schema("ferry.desired/v1")
@MaxBytes(1 << 20)
public record DesiredState(
    String deviceId,
    @JsonProperty(required = true) long sequence,
    Instant issuedAt,
    Instant expiresAt,
    List<ModelAssignment> models) {

  /** Checks the fields; model names must be unique and expiry after issue. */
  public DesiredState {
    DeviceIds.require(deviceId, "deviceId");
    Fields.atLeast(sequence, 1, "sequence");
    Fields.required(issuedAt, "issuedAt");
    Fields.required(expiresAt, "expiresAt");
    if (!expiresAt.isAfter(issuedAt)) {
      throw new FieldException(
          "expiresAt", "must be after issuedAt " + issuedAt + ", got " + expiresAt);
    }
    models = Fields.list(Fields.required(models, "models"), "models");
    Set<String> names = new HashSet<>();
    for (ModelAssignment model : models) {
      if (!names.add(model.name())) {
        throw new FieldException("models", "assigns model " + Fields.show(model.name()) + " twice");
      }
    }
  }

  /**
   * Whether this state has expired.
   *
   * @param now the current time
   * @return true once {@code expiresAt} has passed
   */
  public boolean isExpiredAt(Instant now) {
    return !now.isBefore(expiresAt);
  }
}
