package dev.ferry.agent.runtime;

import ai.onnxruntime.OrtSession.SessionOptions.OptLevel;
import dev.ferry.protocol.release.SessionHints;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * The session options of one version, decided before ONNX Runtime sees them: the release's {@link
 * SessionHints} with the device's {@link ProviderSettings} on top. A release never chooses a path
 * on the device: its options named {@code *_path} are dropped, and TensorRT's caches go where the
 * agent says.
 *
 * @param provider the provider the version serves on
 * @param intraOpThreads threads inside one operator; null for ONNX Runtime's default
 * @param interOpThreads threads across operators; null for the default
 * @param optimization the graph optimisation level
 * @param memoryArena whether the CPU memory arena is on; null for the default
 * @param memoryPattern whether memory pattern optimisation is on; null for the default
 * @param providerOptions the providers to append, in order, each with its ONNX Runtime options
 *     (empty for CPU; TensorRT is followed by CUDA for the nodes TensorRT does not take)
 */
public record SessionPlan(
    String provider,
    Integer intraOpThreads,
    Integer interOpThreads,
    OptLevel optimization,
    Boolean memoryArena,
    Boolean memoryPattern,
    Map<String, Map<String, String>> providerOptions) {
  static final String CUDA = "CUDA";
  static final String TENSORRT = "TENSORRT";

  /** Copies the options, keeping their order. */
  public SessionPlan {
    providerOptions = Collections.unmodifiableMap(new LinkedHashMap<>(providerOptions));
  }

  /**
   * The plan of a version.
   *
   * @param provider the chosen provider, upper case
   * @param hints the release's hints
   * @param settings the device's options
   * @return the plan
   */
  public static SessionPlan of(String provider, SessionHints hints, ProviderSettings settings) {
    Map<String, Map<String, String>> appended = new LinkedHashMap<>();
    switch (provider) {
      case ExecutionProviders.CPU -> {}
      case TENSORRT -> {
        appended.put(TENSORRT, tensorrt(hints, settings));
        appended.put(CUDA, cuda(hints, settings));
      }
      case CUDA -> appended.put(CUDA, cuda(hints, settings));
      default -> appended.put(provider, released(hints, provider));
    }
    return new SessionPlan(
        provider,
        hints.intraOpThreads(),
        hints.interOpThreads(),
        level(hints.graphOptimization()),
        hints.memoryArena(),
        hints.memoryPattern(),
        appended);
  }

  /**
   * Whether a check of the version (its golden run) gives back what it grew the CPU memory arena
   * by: on the CPU provider with the arena on (ONNX Runtime refuses the shrinking of an arena that
   * is off; on other providers the check's memory is theirs, not the CPU arena's).
   */
  public boolean shrinksCpuArenaAfterChecks() {
    return ExecutionProviders.CPU.equals(provider) && !Boolean.FALSE.equals(memoryArena);
  }

  /** ONNX Runtime's level for a hint's name; null means all optimisations. */
  static OptLevel level(String graphOptimization) {
    if (graphOptimization == null) {
      return OptLevel.ALL_OPT;
    }
    return switch (graphOptimization) {
      case "DISABLE" -> OptLevel.NO_OPT;
      case "BASIC" -> OptLevel.BASIC_OPT;
      case "EXTENDED" -> OptLevel.EXTENDED_OPT;
      default -> OptLevel.ALL_OPT;
    };
  }

  private static Map<String, String> cuda(SessionHints hints, ProviderSettings settings) {
    Map<String, String> options = released(hints, CUDA);
    options.put("device_id", Integer.toString(settings.cudaDeviceId()));
    return options;
  }

  private static Map<String, String> tensorrt(SessionHints hints, ProviderSettings settings) {
    Map<String, String> options = released(hints, TENSORRT);
    options.put("device_id", Integer.toString(settings.cudaDeviceId()));
    options.put("trt_engine_cache_enable", flag(settings.engineCache()));
    if (settings.engineCache()) {
      options.put("trt_engine_cache_path", settings.engineCacheDir().toString());
      options.put("trt_timing_cache_path", settings.engineCacheDir().toString());
    }
    if (settings.fp16()) {
      options.put("trt_fp16_enable", "1");
    }
    return options;
  }

  /** The release's options for a provider, without those naming a path. */
  private static Map<String, String> released(SessionHints hints, String provider) {
    Map<String, String> options =
        new TreeMap<>(hints.providerOptions().getOrDefault(provider, Map.of()));
    options.keySet().removeIf(key -> key.endsWith("_path"));
    return options;
  }

  private static String flag(boolean on) {
    return on ? "1" : "0";
  }
}
