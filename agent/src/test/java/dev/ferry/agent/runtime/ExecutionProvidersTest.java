package dev.ferry.agent.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ExecutionProvidersTest {
  private static final Set<String> GPU_BOX = Set.of("CPU", "CUDA", "TENSORRT");

  @Test
  void choose_takesFirstPreferredThatIsAvailableAndAllowed() {
    assertEquals(
        "TENSORRT",
        ExecutionProviders.choose(List.of("TENSORRT", "CUDA", "CPU"), GPU_BOX, List.of()));
  }

  @Test
  void choose_skipsProvidersThisBuildLacks() {
    assertEquals(
        "CUDA", ExecutionProviders.choose(List.of("OPENVINO", "CUDA"), GPU_BOX, List.of()));
  }

  @Test
  void choose_skipsProvidersTheReleaseDoesNotAllow() {
    assertEquals(
        "CUDA",
        ExecutionProviders.choose(List.of("TENSORRT", "CUDA"), GPU_BOX, List.of("CUDA", "CPU")));
  }

  @Test
  void choose_ignoresCase() {
    assertEquals("CUDA", ExecutionProviders.choose(List.of("cuda"), GPU_BOX, List.of("Cuda")));
  }

  @Test
  void choose_fallsBackToCpuWhenAllowed() {
    assertEquals("CPU", ExecutionProviders.choose(List.of("QNN"), GPU_BOX, List.of("QNN", "CPU")));
  }

  @Test
  void choose_fallsBackToCpuWhenTheReleaseAllowsAny() {
    assertEquals("CPU", ExecutionProviders.choose(List.of("CUDA"), Set.of("CPU"), List.of()));
  }

  @Test
  void choose_refusesCpuFallbackTheReleaseDoesNotAllow() {
    NoExecutionProviderException e =
        assertThrows(
            NoExecutionProviderException.class,
            () -> ExecutionProviders.choose(List.of("CPU"), Set.of("CPU"), List.of("CUDA")));
    assertEquals(
        "no execution provider fits: preference [CPU], available [CPU], release allows [CUDA]",
        e.getMessage());
  }

  @Test
  void offered_includesCpu() {
    assertTrue(ExecutionProviders.offered().contains("CPU"));
  }
}
