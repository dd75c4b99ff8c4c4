package dev.ferry.agent.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.protocol.oci.Digest;
import dev.ferry.protocol.release.Precision;
import dev.ferry.protocol.release.ReleaseVariant;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class VariantChooserTest {
  private static final ReleaseVariant FP32_CPU = variant("fp32-cpu", Precision.FP32, "CPU");
  private static final ReleaseVariant INT8_CPU = variant("int8-cpu", Precision.INT8, "CPU");
  private static final ReleaseVariant FP16_GPU =
      variant("fp16-gpu", Precision.FP16, "TENSORRT", "CUDA");
  private static final ReleaseVariant FP16_CUDA = variant("fp16-cuda", Precision.FP16, "CUDA");
  private static final ReleaseVariant ANY = variant("fp32", Precision.FP32);
  private static final List<String> GPU_FIRST = List.of("TENSORRT", "CUDA", "CPU");
  private static final List<List<Precision>> PRECISIONS =
      List.of(List.of(), List.of(Precision.INT8), List.of(Precision.FP16, Precision.FP32));

  @Test
  void choose_theCpuVariantOnACpuOnlyDevice() {
    VariantChoice choice = choose(List.of(FP16_GPU, FP32_CPU), GPU_FIRST, Set.of("CPU"));
    assertEquals(new VariantChoice(FP32_CPU, "CPU"), choice);
  }

  @Test
  void choose_theGpuVariantWhereCudaInitialises() {
    VariantChoice choice = choose(List.of(FP32_CPU, FP16_GPU), GPU_FIRST, Set.of("CPU", "CUDA"));
    assertEquals(new VariantChoice(FP16_GPU, "CUDA"), choice);
  }

  @Test
  void choose_tensorRtBeforeCudaByTheDevicesPreference() {
    VariantChoice choice =
        choose(List.of(FP16_CUDA, FP16_GPU), GPU_FIRST, Set.of("CPU", "CUDA", "TENSORRT"));
    assertEquals(new VariantChoice(FP16_GPU, "TENSORRT"), choice);
  }

  @Test
  void choose_theFirstListedAmongVariantsForOneProvider() {
    assertEquals(
        new VariantChoice(INT8_CPU, "CPU"),
        choose(List.of(INT8_CPU, FP32_CPU), GPU_FIRST, Set.of("CPU")));
    assertEquals(
        new VariantChoice(FP32_CPU, "CPU"),
        choose(List.of(FP32_CPU, INT8_CPU), GPU_FIRST, Set.of("CPU")));
  }

  @Test
  void choose_aVariantWithoutProvidersOnTheBestUsableProvider() {
    assertEquals(
        new VariantChoice(ANY, "CUDA"),
        choose(List.of(ANY, FP16_CUDA), GPU_FIRST, Set.of("CPU", "CUDA")));
  }

  @Test
  void choose_cpuLastWhenThePreferenceLeavesItOut() {
    assertEquals(
        new VariantChoice(FP32_CPU, "CPU"),
        choose(List.of(FP16_CUDA, FP32_CPU), List.of("cuda"), Set.of("CPU")));
  }

  @Test
  void choose_neverAProviderThatIsOnlyConfigured() {
    var error =
        assertThrows(
            NoVariantFitsException.class,
            () -> choose(List.of(FP16_GPU), GPU_FIRST, Set.of("CPU")));
    assertEquals(
        "no variant fits this device: variants [fp16-gpu [TENSORRT, CUDA]], usable providers"
            + " [CPU], preference [TENSORRT, CUDA, CPU]",
        error.getMessage());
  }

  @Test
  void choose_thePreferredPrecisionAmongVariantsForOneProvider() {
    List<ReleaseVariant> offered = List.of(FP32_CPU, INT8_CPU);
    assertEquals(
        new VariantChoice(INT8_CPU, "CPU"),
        VariantChooser.choose(offered, GPU_FIRST, Set.of("CPU"), List.of(Precision.INT8)));
    assertEquals(
        new VariantChoice(FP32_CPU, "CPU"),
        VariantChooser.choose(
            offered, GPU_FIRST, Set.of("CPU"), List.of(Precision.FP32, Precision.INT8)));
  }

  @Test
  void choose_theReleaseOrderWhenNoVariantHasAPreferredPrecision() {
    assertEquals(
        new VariantChoice(FP32_CPU, "CPU"),
        VariantChooser.choose(
            List.of(FP32_CPU, INT8_CPU), GPU_FIRST, Set.of("CPU"), List.of(Precision.BF16)));
  }

  @Test
  void choose_theProviderBeforeThePrecision() {
    assertEquals(
        new VariantChoice(FP16_CUDA, "CUDA"),
        VariantChooser.choose(
            List.of(INT8_CPU, FP16_CUDA),
            GPU_FIRST,
            Set.of("CPU", "CUDA"),
            List.of(Precision.INT8)));
  }

  @Test
  void choose_fromTheDevicesSetup() {
    ProviderSetup int8First =
        new ProviderSetup(
            List.of("CPU"),
            UsableProviders.cpuOnly(),
            ProviderSettings.defaults(Path.of("data")),
            List.of(Precision.INT8));
    assertEquals(
        new VariantChoice(INT8_CPU, "CPU"),
        VariantChooser.choose(List.of(FP32_CPU, INT8_CPU), int8First));
    assertEquals(
        new VariantChoice(FP32_CPU, "CPU"),
        VariantChooser.choose(List.of(FP32_CPU, INT8_CPU), ProviderSetup.cpuOnly()));
  }

  /**
   * Every non-empty set of the five variants, in two orders, on every set of usable providers, with
   * three precision preferences.
   */
  @Test
  void choose_everyCombinationPicksTheBestFittingUsableProvider() {
    List<ReleaseVariant> all = List.of(FP32_CPU, INT8_CPU, FP16_GPU, FP16_CUDA, ANY);
    List<Set<String>> usables =
        List.of(
            Set.of("CPU"),
            Set.of("CPU", "CUDA"),
            Set.of("CPU", "TENSORRT"),
            Set.of("CPU", "CUDA", "TENSORRT"));
    int checked = 0;
    for (int mask = 1; mask < 1 << all.size(); mask++) {
      List<ReleaseVariant> offered = new ArrayList<>();
      for (int i = 0; i < all.size(); i++) {
        if ((mask & 1 << i) != 0) {
          offered.add(all.get(i));
        }
      }
      for (List<ReleaseVariant> order : List.of(offered, reversed(offered))) {
        for (Set<String> usable : usables) {
          for (List<Precision> precisions : PRECISIONS) {
            checkOne(order, usable, precisions);
            checked++;
          }
        }
      }
    }
    assertEquals(31 * 2 * 4 * 3, checked);
  }

  private static void checkOne(
      List<ReleaseVariant> offered, Set<String> usable, List<Precision> precisions) {
    int best = GPU_FIRST.size();
    for (int i = 0; i < GPU_FIRST.size(); i++) {
      String provider = GPU_FIRST.get(i);
      if (usable.contains(provider) && offered.stream().anyMatch(v -> v.fits(provider))) {
        best = Math.min(best, i);
      }
    }
    if (best == GPU_FIRST.size()) {
      assertThrows(
          NoVariantFitsException.class,
          () -> VariantChooser.choose(offered, GPU_FIRST, usable, precisions));
      return;
    }
    VariantChoice choice = VariantChooser.choose(offered, GPU_FIRST, usable, precisions);
    assertEquals(GPU_FIRST.get(best), choice.provider(), offered + " on " + usable);
    assertTrue(choice.variant().fits(choice.provider()));
    int rank = rank(choice.variant(), precisions);
    assertFalse(
        offered.stream().anyMatch(v -> v.fits(choice.provider()) && rank(v, precisions) < rank),
        "a variant of a preferred precision fits " + choice.provider());
    int at = offered.indexOf(choice.variant());
    assertFalse(
        offered.subList(0, at).stream()
            .anyMatch(v -> v.fits(choice.provider()) && rank(v, precisions) == rank),
        "an earlier variant of the same precision fits " + choice.provider());
  }

  private static int rank(ReleaseVariant variant, List<Precision> precisions) {
    int at = precisions.indexOf(variant.precision());
    return at < 0 ? Integer.MAX_VALUE : at;
  }

  /** The chooser without a precision preference. */
  private static VariantChoice choose(
      List<ReleaseVariant> offered, List<String> preference, Set<String> usable) {
    return VariantChooser.choose(offered, preference, usable, List.of());
  }

  private static List<ReleaseVariant> reversed(List<ReleaseVariant> list) {
    List<ReleaseVariant> copy = new ArrayList<>(list);
    java.util.Collections.reverse(copy);
    return copy;
  }

  private static ReleaseVariant variant(String name, Precision precision, String... providers) {
    Digest digest = Digest.of(name.getBytes(StandardCharsets.UTF_8));
    return new ReleaseVariant(name, List.of(providers), precision, digest, digest, digest);
  }
}
