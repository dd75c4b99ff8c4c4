package dev.ferry.agent.serve;

import dev.ferry.protocol.testing.FuzzTarget;
import dev.ferry.protocol.testing.Fuzzing;

/**
 * Jazzer on the agent's {@code RequestParser.parse} of a JSON infer request, seeded by {@code
 * fuzz/infer-json}.
 */
class InferJsonFuzz extends FuzzTarget {
  @Override
  protected Fuzzing target() {
    return RequestTargets.json();
  }
}
