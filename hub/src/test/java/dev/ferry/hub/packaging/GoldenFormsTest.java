package dev.ferry.hub.packaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.ferry.protocol.release.Datatype;
import dev.ferry.protocol.release.GoldenCase;
import dev.ferry.protocol.release.GoldenVectors;
import dev.ferry.protocol.release.Tensor;
import dev.ferry.protocol.release.Tolerance;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GoldenFormsTest {
  private static final Tensor X = new Tensor("x", Datatype.INT64, List.of(2L), List.of(3, -4));
  private static final Tensor WORDS = new Tensor("w", Datatype.BYTES, List.of(1L), List.of("a"));
  private static final Tensor Y =
      new Tensor("y", Datatype.FP32, List.of(1L, 2L), List.of(0.5, -1.25));

  private static GoldenVectors golden(Tensor... outputs) {
    return new GoldenVectors(
        List.of(new GoldenCase(List.of(X, WORDS), List.of(outputs))),
        Map.of("y", new Tolerance(0.1, 0.2)));
  }

  @Test
  void raw_packagesEveryTensorButBytesAsLittleEndianBytes() {
    GoldenVectors raw = GoldenForms.raw(golden(Y));
    GoldenCase only = raw.cases().get(0);
    assertEquals(16, only.inputs().get(0).raw().length);
    assertNull(only.inputs().get(0).data());
    assertEquals(WORDS, only.inputs().get(1));
    assertEquals(8, only.outputs().get(0).raw().length);
    assertEquals(golden(Y).tolerances(), raw.tolerances());
  }

  @Test
  void numbers_readsRawTensorsBackAsJsonDecodingWouldGiveThem() {
    assertEquals(golden(Y), GoldenForms.numbers(GoldenForms.raw(golden(Y))));
    assertEquals(golden(Y), GoldenForms.numbers(golden(Y)));
  }

  @Test
  void numbers_refusesARawDatatypeTheHubCannotRead() {
    Tensor unsigned = Tensor.ofRaw("u", Datatype.UINT16, List.of(1L), new byte[2]);
    InvalidGoldenException e =
        assertThrows(InvalidGoldenException.class, () -> GoldenForms.numbers(golden(unsigned)));
    assertEquals("tensor 'u': datatype UINT16 is not supported", e.getMessage());
  }
}
