package dev.ferry.agent.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OrtSession.SessionOptions.OptLevel;
import dev.ferry.protocol.release.SessionHints;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SessionPlanTest {
  private static final Path CACHE = Path.of("/var/lib/ferry-agent/trt-engines");
  private static final ProviderSettings DEVICE = new ProviderSettings(1, true, CACHE, false);

  private static SessionHints options(Map<String, Map<String, String>> providerOptions) {
    return new SessionHints(null, null, null, null, null, providerOptions);
  }

  @Test
  void cpu_takesTheHintsThreadsLevelAndMemoryOptions() {
    SessionPlan plan =
        SessionPlan.of("CPU", new SessionHints(2, 1, "BASIC", false, true, null), DEVICE);
    assertEquals(new SessionPlan("CPU", 2, 1, OptLevel.BASIC_OPT, false, true, Map.of()), plan);
  }

  @Test
  void noHints_leaveOnnxRuntimesDefaultsWithEveryOptimisation() {
    SessionPlan plan = SessionPlan.of("CPU", SessionHints.NONE, DEVICE);
    assertEquals(new SessionPlan("CPU", null, null, OptLevel.ALL_OPT, null, null, Map.of()), plan);
  }

  @Test
  void checks_shrinkTheCpuArenaOnlyWhereThereIsOne() {
    assertTrue(SessionPlan.of("CPU", SessionHints.NONE, DEVICE).shrinksCpuArenaAfterChecks());
    assertTrue(
        SessionPlan.of("CPU", new SessionHints(null, null, null, true, null, null), DEVICE)
            .shrinksCpuArenaAfterChecks());
    // ONNX Runtime refuses to shrink an arena that is off: the check would fail the version
    assertFalse(
        SessionPlan.of("CPU", new SessionHints(null, null, null, false, null, null), DEVICE)
            .shrinksCpuArenaAfterChecks());
    assertFalse(SessionPlan.of("CUDA", SessionHints.NONE, DEVICE).shrinksCpuArenaAfterChecks());
  }

  @Test
  void level_mapsEachHintName() {
    List<String> names = SessionHints.GRAPH_OPTIMIZATIONS;
    assertEquals(4, names.size());
    assertEquals(
        List.of(OptLevel.NO_OPT, OptLevel.BASIC_OPT, OptLevel.EXTENDED_OPT, OptLevel.ALL_OPT),
        names.stream().map(SessionPlan::level).toList());
  }

  @Test
  void cuda_keepsTheReleasesOptionsButTheDevicePicksTheGpu() {
    SessionPlan plan =
        SessionPlan.of(
            "CUDA",
            options(
                Map.of("CUDA", Map.of("device_id", "3", "cudnn_conv_algo_search", "HEURISTIC"))),
            DEVICE);
    assertEquals(
        Map.of("CUDA", Map.of("device_id", "1", "cudnn_conv_algo_search", "HEURISTIC")),
        plan.providerOptions());
  }

  @Test
  void tensorrt_comesBeforeCudaWithItsCacheUnderTheDataDir() {
    SessionPlan plan =
        SessionPlan.of(
            "TENSORRT",
            options(
                Map.of(
                    "TENSORRT",
                    Map.of(
                        "trt_engine_cache_path", "/etc", "trt_max_workspace_size", "1073741824"))),
            DEVICE);
    assertEquals(List.of("TENSORRT", "CUDA"), List.copyOf(plan.providerOptions().keySet()));
    assertEquals(
        Map.of(
            "device_id", "1",
            "trt_engine_cache_enable", "1",
            "trt_engine_cache_path", CACHE.toString(),
            "trt_timing_cache_path", CACHE.toString(),
            "trt_max_workspace_size", "1073741824"),
        plan.providerOptions().get("TENSORRT"));
    assertEquals(Map.of("device_id", "1"), plan.providerOptions().get("CUDA"));
  }

  @Test
  void tensorrt_fp16IsOnWhenTheDeviceOrTheReleaseSaysSo() {
    SessionHints fp16 = options(Map.of("TENSORRT", Map.of("trt_fp16_enable", "1")));
    ProviderSettings deviceFp16 = new ProviderSettings(0, true, CACHE, true);
    assertEquals(
        "1",
        SessionPlan.of("TENSORRT", fp16, DEVICE)
            .providerOptions()
            .get("TENSORRT")
            .get("trt_fp16_enable"));
    assertEquals(
        "1",
        SessionPlan.of("TENSORRT", SessionHints.NONE, deviceFp16)
            .providerOptions()
            .get("TENSORRT")
            .get("trt_fp16_enable"));
    assertEquals(
        null,
        SessionPlan.of("TENSORRT", SessionHints.NONE, DEVICE)
            .providerOptions()
            .get("TENSORRT")
            .get("trt_fp16_enable"));
  }

  @Test
  void tensorrt_withoutEngineCache_namesNoPath() {
    ProviderSettings noCache = new ProviderSettings(0, false, CACHE, false);
    assertEquals(
        Map.of("device_id", "0", "trt_engine_cache_enable", "0"),
        SessionPlan.of("TENSORRT", SessionHints.NONE, noCache).providerOptions().get("TENSORRT"));
  }

  @Test
  void otherProviders_getTheReleasesOptionsWithoutPaths() {
    SessionPlan plan =
        SessionPlan.of(
            "QNN",
            options(
                Map.of(
                    "QNN",
                    Map.of("backend_path", "/tmp/evil.so", "htp_performance_mode", "burst"))),
            DEVICE);
    assertEquals(Map.of("QNN", Map.of("htp_performance_mode", "burst")), plan.providerOptions());
  }

  @Test
  void options_applyAPlanOnCpu() throws Exception {
    SessionPlan plan =
        SessionPlan.of("CPU", new SessionHints(2, 1, "EXTENDED", false, false, null), DEVICE);
    try (var options = ExecutionProviders.options(plan)) {
      assertEquals(Map.of(), options.getConfigEntries());
    }
  }
}
