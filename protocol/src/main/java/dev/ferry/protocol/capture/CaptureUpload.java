package dev.ferry.protocol.capture;

import dev.ferry.protocol.json.Fields;
import dev.ferry.protocol.json.MaxBytes;
import dev.ferry.protocol.json.Schema;
import java.util.List;

/**
 * A chunk of samples a device uploads to {@code POST /api/v1/devices/{id}/captures}, authenticated
 * as that device. The hub answers with a {@link CaptureReceipt}.
 *
 * @param samples the samples, at least one
 */
@Schema("ferry.capture/v1")
@MaxBytes(16 << 20)
public record CaptureUpload(List<CaptureSample> samples) {
  /** Checks the fields. */
  public CaptureUpload {
    samples = Fields.nonEmptyList(samples, "samples");
  }
}
