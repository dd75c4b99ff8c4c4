package dev.ferry.hub.packaging;

import dev.ferry.protocol.release.Precision;
import dev.ferry.protocol.release.Tolerance;

/**
 * The tolerance of a variant whose golden outputs the hub takes from the release's CPU reference
 * variant: a lower precision cannot reproduce FP32 outputs to FP32's tolerance.
 */
final class PrecisionTolerance {
  /** FP16 keeps 11 significant bits (about 3 decimal digits); errors grow over a graph's depth. */
  static final Tolerance HALF = new Tolerance(1e-2, 5e-2);

  /** INT8 quantisation keeps 256 levels per tensor. */
  static final Tolerance QUANTISED = new Tolerance(5e-2, 1e-1);

  private PrecisionTolerance() {}

  static Tolerance of(Precision precision) {
    return switch (precision) {
      case FP32 -> Tolerance.DEFAULT;
      case FP16, BF16, MIXED -> HALF;
      case INT8 -> QUANTISED;
    };
  }
}
