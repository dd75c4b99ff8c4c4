package dev.ferry.protocol;

import dev.ferry.protocol.device.ReportedState;
import dev.ferry.protocol.testing.FuzzTarget;
import dev.ferry.protocol.testing.Fuzzing;

/**
 * Jazzer on {@code JsonCodec.decode(…, ReportedState)}, seeded by the corpus {@code
 * fuzz/reported-state}.
 */
class ReportedStateFuzz extends FuzzTarget {
  @Override
  protected Fuzzing target() {
    return WireTargets.decoding("reported-state", ReportedState.class);
  }
}
