package dev.ferry.agent.serve;

import dev.ferry.protocol.testing.FuzzTarget;
import dev.ferry.protocol.testing.Fuzzing;

/**
 * Jazzer on {@code RequestParser.parse} with binary tensors after the JSON, seeded by {@code
 * fuzz/infer-binary}.
 */
class InferBinaryFuzz extends FuzzTarget {
  @Override
  protected Fuzzing target() {
    return RequestTargets.binary();
  }
}
