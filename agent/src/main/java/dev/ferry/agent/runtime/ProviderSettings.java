package dev.ferry.agent.runtime;

import java.nio.file.Path;
import java.util.Objects;

/**
 * The device's own options for the GPU providers ({@code ferry.agent.runtime.*}); they win over a
 * release's session hints.
 *
 * @param cudaDeviceId the GPU that CUDA and TensorRT run on, at least 0
 * @param engineCache whether TensorRT keeps built engines in {@code engineCacheDir}
 * @param engineCacheDir where TensorRT's engine and timing caches live ({@code
 *     <data-dir>/trt-engines})
 * @param fp16 whether TensorRT may run in FP16
 */
public record ProviderSettings(
    int cudaDeviceId, boolean engineCache, Path engineCacheDir, boolean fp16) {
  /** The folder under the data directory that holds TensorRT's caches. */
  public static final String ENGINE_CACHE = "trt-engines";

  /** Checks the fields. */
  public ProviderSettings {
    if (cudaDeviceId < 0) {
      throw new IllegalArgumentException(
          "ferry.agent.runtime.cuda.device-id must be at least 0, got " + cudaDeviceId);
    }
    Objects.requireNonNull(engineCacheDir, "engineCacheDir");
  }

  /** The defaults under a data directory: GPU 0, engine cache on, no FP16. */
  public static ProviderSettings defaults(Path dataDir) {
    return new ProviderSettings(0, true, dataDir.resolve(ENGINE_CACHE), false);
  }
}
