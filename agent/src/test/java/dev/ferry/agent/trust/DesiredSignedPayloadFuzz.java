package dev.ferry.agent.trust;

import dev.ferry.protocol.testing.FuzzTarget;
import dev.ferry.protocol.testing.Fuzzing;

/**
 * Jazzer on {@code DesiredStateVerifier.verify} of a payload the hub key signed, seeded by {@code
 * fuzz/desired-signed-payload}.
 */
class DesiredSignedPayloadFuzz extends FuzzTarget {
  @Override
  protected Fuzzing target() {
    return DesiredTargets.signedPayload();
  }
}
