package dev.ferry.protocol.capture;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.ferry.protocol.json.FieldException;
import dev.ferry.protocol.json.Fields;
import java.util.Map;

/**
 * What a device may capture of a model's inference traffic and send back to the hub for training.
 * Set by a release manager on a rollout or release and carried per model inside the hub-signed
 * desired state, so only the hub can switch capture on; absent means off.
 *
 * @param sampleRate the share of requests sampled, {@code 0..1}
 * @param maxPerHour the most samples per device per hour
 * @param maxBytesPerDay the most bytes of samples per device per day
 * @param tensors which tensors are kept
 * @param preferFailed whether requests that failed are always sampled (still within the caps)
 * @param confidenceBelow when set, requests whose {@code confidenceOutput} maximum lies below it
 *     are always sampled (within the caps); null for no such rule
 * @param confidenceOutput the output the confidence rule reads; set exactly when {@code
 *     confidenceBelow} is
 * @param selector device labels the policy applies to (all must match); empty for every device
 */
public record CapturePolicy(
    @JsonProperty(required = true) double sampleRate,
    @JsonProperty(required = true) long maxPerHour,
    @JsonProperty(required = true) long maxBytesPerDay,
    CaptureTensors tensors,
    boolean preferFailed,
    Double confidenceBelow,
    String confidenceOutput,
    Map<String, String> selector) {

  /** Checks the fields. */
  public CapturePolicy {
    if (!(sampleRate >= 0 && sampleRate <= 1)) {
      throw new FieldException("sampleRate", "must be within [0, 1], got " + sampleRate);
    }
    Fields.atLeast(maxPerHour, 0, "maxPerHour");
    Fields.atLeast(maxBytesPerDay, 0, "maxBytesPerDay");
    Fields.required(tensors, "tensors");
    if (confidenceBelow != null && !(confidenceBelow > 0 && confidenceBelow <= 1)) {
      throw new FieldException("confidenceBelow", "must be within (0, 1], got " + confidenceBelow);
    }
    if ((confidenceBelow == null) != (confidenceOutput == null)) {
      throw new FieldException(
          "confidenceOutput",
          "must be set exactly when confidenceBelow is, got " + Fields.show(confidenceOutput));
    }
    if (confidenceOutput != null) {
      Fields.text(confidenceOutput, "confidenceOutput");
    }
    selector = Fields.map(selector, "selector");
  }

  /**
   * A plain policy: a rate and caps, every tensor, no preference, every device.
   *
   * @param sampleRate the share of requests sampled
   * @param maxPerHour the most samples per hour
   * @param maxBytesPerDay the most bytes per day
   * @return the policy
   */
  public static CapturePolicy sampling(double sampleRate, long maxPerHour, long maxBytesPerDay) {
    return new CapturePolicy(
        sampleRate, maxPerHour, maxBytesPerDay, CaptureTensors.BOTH, false, null, null, Map.of());
  }

  /**
   * Whether the policy applies to a device with these labels.
   *
   * @param labels the device's labels
   * @return true when every selector label matches
   */
  public boolean appliesTo(Map<String, String> labels) {
    return selector.entrySet().stream().allMatch(e -> e.getValue().equals(labels.get(e.getKey())));
  }
}
