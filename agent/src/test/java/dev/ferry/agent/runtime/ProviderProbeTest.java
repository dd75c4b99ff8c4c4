package dev.ferry.agent.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.protocol.testing.OnnxModels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProviderProbeTest {
  private static final ProviderSettings SETTINGS = ProviderSettings.defaults(Path.of("data"));
  private final List<String> tried = new ArrayList<>();

  private ProviderProbe.Trial failing(Map<String, String> failures) {
    return provider -> {
      tried.add(provider);
      return Optional.ofNullable(failures.get(provider));
    };
  }

  @Test
  void probe_keepsEveryOfferedProviderThatRuns() {
    UsableProviders usable =
        ProviderProbe.probe(
            Set.of("CPU", "CUDA", "TENSORRT"),
            List.of("TENSORRT", "CUDA", "CPU"),
            failing(Map.of()));
    assertEquals(Set.of("CPU", "CUDA", "TENSORRT"), usable.names());
    assertEquals(Map.of(), usable.refused());
    assertEquals(List.of("CUDA", "TENSORRT"), tried.stream().sorted().toList());
  }

  @Test
  void probe_refusesAPreferredProviderThatFailsWithItsReason() {
    UsableProviders usable =
        ProviderProbe.probe(
            Set.of("CPU", "CUDA", "TENSORRT"),
            List.of("TENSORRT", "CUDA", "CPU"),
            failing(Map.of("TENSORRT", "libnvinfer.so.10: cannot open shared object file")));
    assertEquals(Set.of("CPU", "CUDA"), usable.names());
    assertEquals(
        Map.of("TENSORRT", "libnvinfer.so.10: cannot open shared object file"), usable.refused());
  }

  @Test
  void probe_refusesAPreferredProviderTheBuildLacks() {
    UsableProviders usable =
        ProviderProbe.probe(Set.of("CPU"), List.of(" cuda", "CPU"), failing(Map.of()));
    assertEquals(Set.of("CPU"), usable.names());
    assertEquals(Map.of("CUDA", "not in this ONNX Runtime build"), usable.refused());
    assertEquals(List.of(), tried);
  }

  @Test
  void probe_leavesAFailedProviderNobodyPrefersOutOfRefused() {
    UsableProviders usable =
        ProviderProbe.probe(Set.of("CPU", "CUDA"), List.of("CPU"), failing(Map.of("CUDA", "no")));
    assertEquals(Set.of("CPU"), usable.names());
    assertEquals(Map.of(), usable.refused());
  }

  @Test
  void realCpuBuild_reportsAConfiguredCudaPreferenceAsUnusable() {
    UsableProviders usable =
        ProviderProbe.probe(
            ExecutionProviders.offered(),
            List.of("TENSORRT", "CUDA", "CPU"),
            provider -> ProviderProbe.trial(provider, SETTINGS));
    assertEquals(Set.of("CPU"), usable.names());
    assertEquals(
        Map.of(
            "CUDA", "not in this ONNX Runtime build",
            "TENSORRT", "not in this ONNX Runtime build"),
        usable.refused());
  }

  @Test
  void trial_runsTheProbeModelOnCpu() {
    assertEquals(Optional.empty(), ProviderProbe.trial("CPU", SETTINGS));
  }

  @Test
  void trial_givesTheFirstLineOfWhyCudaDoesNotStartHere() {
    Optional<String> failure = ProviderProbe.trial("CUDA", SETTINGS);
    assertTrue(failure.isPresent());
    assertTrue(!failure.get().contains("\n"), failure.get());
  }

  @Test
  void probeModel_isTheGeneratedAddModel(@TempDir Path dir) throws Exception {
    Path generated = dir.resolve("add.onnx");
    OnnxModels.add(generated);
    assertArrayEquals(Files.readAllBytes(generated), ProviderProbe.model());
  }

  @Test
  void firstLine_isTheMessagesFirstLineOrTheType() {
    assertEquals("a", ProviderProbe.firstLine(new RuntimeException("  a\nb")));
    assertEquals("UnsatisfiedLinkError", ProviderProbe.firstLine(new UnsatisfiedLinkError()));
  }

  @Test
  void usableProviders_mustHoldCpu() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> new UsableProviders(Set.of("CUDA"), Map.of()));
    assertEquals("names must contain CPU, got [CUDA]", e.getMessage());
  }

  @Test
  void usableProviders_mustNotRefuseAUsableOne() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> new UsableProviders(Set.of("CPU"), Map.of("CPU", "x")));
    assertEquals("refused must not name a usable provider, got [CPU] and [CPU]", e.getMessage());
  }
}
