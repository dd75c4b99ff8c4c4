package dev.ferry.protocol.release;

/**
 * The numeric precision a variant's weights are stored in; ModelPack's {@code config.precision}.
 */
public enum Precision {
  /** 32-bit floating point. */
  FP32,
  /** 16-bit floating point (IEEE half). */
  FP16,
  /** 8-bit integer, quantised. */
  INT8,
  /** bfloat16. */
  BF16,
  /** More than one precision in one graph. */
  MIXED
}
