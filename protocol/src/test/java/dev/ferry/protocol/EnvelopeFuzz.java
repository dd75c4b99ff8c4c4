package dev.ferry.protocol;

import dev.ferry.protocol.signing.Envelope;
import dev.ferry.protocol.testing.FuzzTarget;
import dev.ferry.protocol.testing.Fuzzing;

/** Jazzer on {@code JsonCodec.decode(…, Envelope)}, seeded by the corpus {@code fuzz/envelope}. */
class EnvelopeFuzz extends FuzzTarget {
  @Override
  protected Fuzzing target() {
    return WireTargets.decoding("envelope", Envelope.class);
  }
}
