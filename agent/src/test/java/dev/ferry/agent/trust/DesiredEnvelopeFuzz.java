package dev.ferry.agent.trust;

import dev.ferry.protocol.testing.FuzzTarget;
import dev.ferry.protocol.testing.Fuzzing;

/**
 * Jazzer on {@code DesiredStateVerifier.verify} of what arrives on the desired topic, seeded by
 * {@code fuzz/desired-envelope}.
 */
class DesiredEnvelopeFuzz extends FuzzTarget {
  @Override
  protected Fuzzing target() {
    return DesiredTargets.envelope();
  }
}
