package dev.ferry.protocol.device;

import dev.ferry.protocol.json.Fields;

/**
 * An accelerator on the device, as far as ONNX Runtime or the system tells.
 *
 * @param kind the kind, for example {@code CUDA}, {@code NPU}
 * @param name the product name, if known
 * @param memoryTotalBytes device memory, if known
 * @param memoryUsedBytes device memory in use, if known
 * @param utilization busy share between 0 and 1, if known
 */
public record Accelerator(
    String kind, String name, Long memoryTotalBytes, Long memoryUsedBytes, Double utilization) {
  /** Checks the fields. */
  public Accelerator {
    Fields.text(kind, "kind");
  }
}
