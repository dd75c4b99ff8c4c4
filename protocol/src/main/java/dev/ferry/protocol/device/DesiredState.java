package dev.ferry.protocol.device;

import com.fasterxml.jackson.annotation.JsonInclude;
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
 * @param prefetch releases to fetch and verify into the cache ahead of their assignment, not to
 *     serve: a rollout's later waves get them, so that their swap, when it comes, loads from the
 *     cache. At most one per model, without a capture policy; empty (absent on the wire, as in
 *     every state signed before it existed) for none
 */
@Schema("ferry.desired/v1")
@MaxBytes(1 << 20)
public record DesiredState(
    String deviceId,
    @JsonProperty(required = true) long sequence,
    Instant issuedAt,
    Instant expiresAt,
    List<ModelAssignment> models,
    @JsonInclude(JsonInclude.Include.NON_EMPTY) List<ModelAssignment> prefetch) {

  /** Checks the fields; model names must be unique in each list and expiry after issue. */
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
    requireUniqueNames(models, "models", "assigns");
    prefetch = Fields.list(prefetch, "prefetch");
    requireUniqueNames(prefetch, "prefetch", "prefetches");
    for (int i = 0; i < prefetch.size(); i++) {
      if (prefetch.get(i).capture() != null) {
        throw new FieldException(
            "prefetch[" + i + "].capture",
            "must be absent: a prefetched release does not serve, got a capture policy for "
                + Fields.show(prefetch.get(i).name()));
      }
    }
  }

  /**
   * A desired state that prefetches nothing.
   *
   * @param deviceId the device this state is for
   * @param sequence grows with each state for the device
   * @param issuedAt when the hub signed it
   * @param expiresAt after this the agent stops applying it
   * @param models the full set of assigned models
   */
  public DesiredState(
      String deviceId,
      long sequence,
      Instant issuedAt,
      Instant expiresAt,
      List<ModelAssignment> models) {
    this(deviceId, sequence, issuedAt, expiresAt, models, List.of());
  }

  private static void requireUniqueNames(List<ModelAssignment> list, String field, String verb) {
    Set<String> names = new HashSet<>();
    for (ModelAssignment model : list) {
      if (!names.add(model.name())) {
        throw new FieldException(field, verb + " model " + Fields.show(model.name()) + " twice");
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
