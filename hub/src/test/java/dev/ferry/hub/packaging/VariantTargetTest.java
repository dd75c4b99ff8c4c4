package dev.ferry.hub.packaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.protocol.json.FieldException;
import dev.ferry.protocol.release.Precision;
import java.util.List;
import org.junit.jupiter.api.Test;

class VariantTargetTest {
  @Test
  void parse_readsNameProvidersBestFirstAndPrecision() {
    VariantTarget target =
        VariantTarget.parse("name=fp16-cuda, providers=tensorrt;CUDA, precision=fp16");
    assertEquals(
        new VariantTarget("fp16-cuda", List.of("TENSORRT", "CUDA"), Precision.FP16), target);
    assertFalse(target.runsOnCpu());
  }

  @Test
  void parse_withoutProvidersFitsAnyAndRunsOnCpu() {
    VariantTarget target = VariantTarget.parse("name=int8,precision=INT8");
    assertEquals(List.of(), target.providers());
    assertTrue(target.runsOnCpu());
  }

  @Test
  void parse_refusesAnUnknownKey() {
    var error =
        assertThrows(
            FieldException.class,
            () -> VariantTarget.parse("name=a,precision=FP32,file=model.onnx"));
    assertEquals(
        "variant must be name=…,providers=…,precision=… with each key once, got"
            + " 'name=a,precision=FP32,file=model.onnx'",
        error.getMessage());
  }

  @Test
  void parse_refusesAMissingPrecision() {
    var error = assertThrows(FieldException.class, () -> VariantTarget.parse("name=a"));
    assertEquals(
        "variant must give name and precision (name=fp16-cuda,providers=CUDA,precision=FP16),"
            + " got 'name=a'",
        error.getMessage());
  }

  @Test
  void parse_refusesAnUnknownPrecision() {
    var error =
        assertThrows(FieldException.class, () -> VariantTarget.parse("name=a,precision=FP64"));
    assertEquals(
        "variant precision must be one of [FP32, FP16, INT8, BF16, MIXED], got 'FP64'",
        error.getMessage());
  }

  @Test
  void parse_refusesAProviderNamedTwice() {
    var error =
        assertThrows(
            FieldException.class,
            () -> VariantTarget.parse("name=a,providers=CUDA;cuda,precision=FP16"));
    assertEquals("variant providers names a provider twice: [CUDA, CUDA]", error.getMessage());
  }

  @Test
  void parse_refusesAnUppercaseName() {
    var error =
        assertThrows(FieldException.class, () -> VariantTarget.parse("name=A,precision=FP16"));
    assertEquals("variant name must match [a-z0-9][a-z0-9._-]{0,63}, got 'A'", error.getMessage());
  }
}
