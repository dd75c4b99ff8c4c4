package dev.ferry.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ferry.protocol.release.Datatype;
import org.junit.jupiter.api.Test;

class HalvesTest {
  @Test
  void fp16_bitsAreIeeeHalfPrecision() {
    assertEquals((short) 0x3c00, Halves.toBits(Datatype.FP16, 1.0f));
    assertEquals((short) 0x7bff, Halves.toBits(Datatype.FP16, 65504f));
    assertEquals(-2.0f, Halves.toFloat(Datatype.FP16, (short) 0xc000));
  }

  @Test
  void bf16_bitsAreTheFloatsUpperHalf() {
    assertEquals((short) 0x3f80, Halves.toBits(Datatype.BF16, 1.0f));
    assertEquals(-2.0f, Halves.toFloat(Datatype.BF16, (short) 0xc000));
  }

  @Test
  void round_givesTheNearestHalf() {
    assertEquals(0.0999755859375f, Halves.round(Datatype.FP16, 0.1f));
    assertEquals(0.10009765625f, Halves.round(Datatype.BF16, 0.1f));
  }
}
