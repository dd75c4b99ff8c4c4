package dev.ferry.protocol;

import dev.ferry.protocol.device.DesiredState;
import dev.ferry.protocol.testing.FuzzTarget;
import dev.ferry.protocol.testing.Fuzzing;

/**
 * Jazzer on {@code JsonCodec.decode(…, DesiredState)}, seeded by the corpus {@code
 * fuzz/desired-state}.
 */
class DesiredStateFuzz extends FuzzTarget {
  @Override
  protected Fuzzing target() {
    return WireTargets.decoding("desired-state", DesiredState.class);
  }
}
