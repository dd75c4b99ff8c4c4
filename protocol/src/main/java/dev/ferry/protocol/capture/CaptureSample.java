package dev.ferry.protocol.capture;

import dev.ferry.protocol.json.Fields;
import dev.ferry.protocol.release.ModelNames;
import java.time.Instant;
import java.util.List;
import java.util.regex.Pattern;

/**
 * One sampled request as a device uploads it. The hub stores each (device, id) once, so a device
 * may resend a sample whose acknowledgement it lost.
 *
 * @param id the device's id for the sample, unique on that device
 * @param model the model name
 * @param version the version that served the request
 * @param capturedAt when the request was served
 * @param failed whether inference failed (then there are no outputs)
 * @param tensors the tensors kept, by the policy's {@link CaptureTensors}
 */
public record CaptureSample(
    String id,
    String model,
    String version,
    Instant capturedAt,
    boolean failed,
    List<CapturedTensor> tensors) {
  /** What a sample id looks like. */
  public static final Pattern ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");

  /** Checks the fields. */
  public CaptureSample {
    Fields.matching(id, ID, "id");
    ModelNames.requireName(model, "model");
    ModelNames.requireVersion(version, "version");
    Fields.required(capturedAt, "capturedAt");
    tensors = Fields.list(Fields.required(tensors, "tensors"), "tensors");
  }

  /** The bytes its tensors hold. */
  public long size() {
    return tensors.stream().mapToLong(CapturedTensor::size).sum();
  }
}
