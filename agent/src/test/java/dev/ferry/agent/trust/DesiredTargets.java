package dev.ferry.agent.trust;

import dev.ferry.agent.store.AcceptedState;
import dev.ferry.protocol.signing.PayloadTypes;
import dev.ferry.protocol.testing.Fuzzing;
import dev.ferry.protocol.testing.TestHub;
import java.util.List;

/**
 * The desired-state verifier as fuzz targets: what arrives on the desired topic (a DSSE envelope),
 * and a payload the hub key signed (so that the desired state's decoder and the release statements'
 * checks are reached). Bad input may only be refused with {@link RejectedDesiredStateException}.
 */
final class DesiredTargets {
  private static final String DEVICE = "edge-1";

  private DesiredTargets() {}

  static List<Fuzzing> all() {
    return List.of(envelope(), signedPayload());
  }

  static Fuzzing envelope() {
    DesiredStateVerifier verifier = verifier(new TestHub());
    return new Fuzzing(
        "desired-envelope",
        input -> verifier.verify(input, DEVICE, AcceptedState.initial(), TestHub.NOW),
        RejectedDesiredStateException.class::isInstance);
  }

  static Fuzzing signedPayload() {
    TestHub keys = new TestHub();
    DesiredStateVerifier verifier = verifier(keys);
    return new Fuzzing(
        "desired-signed-payload",
        input ->
            verifier.verify(
                TestHub.CODEC.encode(keys.hub.sign(PayloadTypes.DESIRED, input)),
                DEVICE,
                AcceptedState.initial(),
                TestHub.NOW),
        RejectedDesiredStateException.class::isInstance);
  }

  private static DesiredStateVerifier verifier(TestHub keys) {
    return new DesiredStateVerifier(keys::trustRoot, TestHub.CODEC);
  }
}
