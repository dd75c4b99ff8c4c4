package dev.ferry.agent.serve;

import dev.ferry.protocol.testing.FuzzTarget;
import dev.ferry.protocol.testing.Fuzzing;

/**
 * Jazzer on the binary tensor decoder {@code BinaryTensors.decode}, seeded by {@code
 * fuzz/binary-tensors}.
 */
class BinaryTensorsFuzz extends FuzzTarget {
  @Override
  protected Fuzzing target() {
    return RequestTargets.tensors();
  }
}
