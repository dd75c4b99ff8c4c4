package dev.ferry.protocol.release;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.protocol.json.FieldException;
import dev.ferry.protocol.oci.Annotations;
import dev.ferry.protocol.oci.Digest;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReleaseVariantTest {
  static final Digest MANIFEST = digest("manifest");
  static final Digest SERVING = digest("serving");
  static final Digest GOLDEN = digest("golden");

  static Digest digest(String text) {
    return Digest.of(text.getBytes(StandardCharsets.UTF_8));
  }

  static ReleaseVariant variant(String name, List<String> providers, Precision precision) {
    return new ReleaseVariant(
        name, providers, precision, digest("manifest-" + name), SERVING, GOLDEN);
  }

  @Test
  void fits_theProvidersItTargetsInAnyCase() {
    ReleaseVariant cuda = variant("fp16-cuda", List.of("TENSORRT", "CUDA"), Precision.FP16);
    assertTrue(cuda.fits("cuda"));
    assertTrue(cuda.fits("TENSORRT"));
    assertFalse(cuda.fits("CPU"));
    assertFalse(cuda.runsOnCpu());
  }

  @Test
  void fits_everyProviderWhenItTargetsNone() {
    ReleaseVariant any = variant("fp32", List.of(), Precision.FP32);
    assertTrue(any.fits("CUDA"));
    assertTrue(any.runsOnCpu());
  }

  @Test
  void annotations_nameProvidersAndPrecision() {
    assertEquals(
        Map.of(
            Annotations.VARIANT_NAME, "fp16-cuda",
            Annotations.VARIANT_PROVIDERS, "TENSORRT,CUDA",
            Annotations.VARIANT_PRECISION, "FP16"),
        variant("fp16-cuda", List.of("TENSORRT", "CUDA"), Precision.FP16).annotations());
  }

  @Test
  void new_rejectsAnUppercaseName() {
    var error =
        assertThrows(FieldException.class, () -> variant("FP16", List.of(), Precision.FP16));
    assertEquals(
        "name must match " + ReleaseVariant.NAME.pattern() + ", got 'FP16'", error.getMessage());
  }

  @Test
  void new_rejectsAProviderWithAnUnderscore() {
    var error =
        assertThrows(FieldException.class, () -> variant("a", List.of("CUDA_EP"), Precision.FP16));
    assertEquals(
        "providers must match " + ReleaseVariant.PROVIDER.pattern() + ", got 'CUDA_EP'",
        error.getMessage());
  }

  @Test
  void new_rejectsAProviderNamedTwice() {
    var error =
        assertThrows(
            FieldException.class, () -> variant("a", List.of("CUDA", "CUDA"), Precision.FP16));
    assertEquals("providers names a provider twice: [CUDA, CUDA]", error.getMessage());
  }
}
