package dev.ferry.onnx;

import ai.onnxruntime.platform.Fp16Conversions;
import dev.ferry.protocol.release.Datatype;

/**
 * FP16 and BF16 elements: carried as {@code float} in {@link ArrayTensor}s and as 16-bit patterns
 * in ONNX Runtime and the binary tensor extension, converted here and nowhere else.
 */
public final class Halves {
  private Halves() {}

  /**
   * The float a 16-bit pattern stands for.
   *
   * @param datatype {@link Datatype#FP16} or {@link Datatype#BF16}
   * @param bits the pattern
   */
  public static float toFloat(Datatype datatype, short bits) {
    return datatype == Datatype.FP16
        ? Fp16Conversions.fp16ToFloat(bits)
        : Fp16Conversions.bf16ToFloat(bits);
  }

  /**
   * The 16-bit pattern nearest a float.
   *
   * @param datatype {@link Datatype#FP16} or {@link Datatype#BF16}
   * @param value the float
   */
  public static short toBits(Datatype datatype, float value) {
    return datatype == Datatype.FP16
        ? Fp16Conversions.floatToFp16(value)
        : Fp16Conversions.floatToBf16(value);
  }

  /**
   * A float rounded to the nearest value the half datatype holds.
   *
   * @param datatype {@link Datatype#FP16} or {@link Datatype#BF16}
   * @param value the float
   */
  public static float round(Datatype datatype, float value) {
    return toFloat(datatype, toBits(datatype, value));
  }
}
