package dev.ferry.agent.trust;

import dev.ferry.agent.failure.Failure;
import dev.ferry.agent.store.AcceptedState;
import dev.ferry.agent.store.Target;
import dev.ferry.protocol.device.DesiredState;
import dev.ferry.protocol.oci.Digest;
import dev.ferry.protocol.release.ReleaseStatement;
import java.util.List;
import java.util.Map;

/**
 * A desired state that passed every signing rule, with its verified release statements.
 *
 * @param state the desired state, decoded from the verified bytes
 * @param statements the verified release statement of each assigned model, by model name
 * @param payloadDigest the digest of the signed desired-state payload, for duplicate detection
 * @param prefetch what the state prefetches whose release statement passed every rule
 * @param refusedPrefetch by model name, why a prefetched release's statement was refused: a
 *     prefetch that breaks a rule is left out, and never holds back what the state assigns
 */
public record VerifiedDesired(
    DesiredState state,
    Map<String, ReleaseStatement> statements,
    Digest payloadDigest,
    List<Target> prefetch,
    Map<String, Failure> refusedPrefetch) {
  /** Copies the collections. */
  public VerifiedDesired {
    statements = Map.copyOf(statements);
    prefetch = List.copyOf(prefetch);
    refusedPrefetch = Map.copyOf(refusedPrefetch);
  }

  /** What the state assigns: each model with its verified release statement. */
  public List<Target> targets() {
    return state.models().stream()
        .map(model -> new Target(model, statements.get(model.name())))
        .toList();
  }

  /**
   * What the device has accepted once it accepts this state.
   *
   * @param previous what it had accepted before
   * @return the new accepted state
   */
  public AcceptedState acceptedFrom(AcceptedState previous) {
    return previous.accept(state.sequence(), payloadDigest);
  }
}
