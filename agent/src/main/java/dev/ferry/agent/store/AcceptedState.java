package dev.ferry.agent.store;

import dev.ferry.protocol.oci.Digest;
import java.util.HashMap;
import java.util.Map;

/**
 * What this device has accepted: the last desired state's sequence and payload digest, and the
 * release sequence installed per model. Persisted so that a replay is refused after a restart.
 *
 * @param sequence the last accepted desired sequence; 0 before the first
 * @param payloadDigest the digest of that desired state's signed payload; null before the first
 * @param releaseSeqs the installed releaseSeq by model name
 */
public record AcceptedState(long sequence, Digest payloadDigest, Map<String, Long> releaseSeqs) {
  /** Checks the fields and copies the map. */
  public AcceptedState {
    if (sequence < 0) {
      throw new IllegalArgumentException("sequence must be at least 0, got " + sequence);
    }
    releaseSeqs = releaseSeqs == null ? Map.of() : Map.copyOf(releaseSeqs);
  }

  /** The state of a device that has accepted nothing yet. */
  public static AcceptedState initial() {
    return new AcceptedState(0, null, Map.of());
  }

  /**
   * The releaseSeq installed for a model.
   *
   * @param model the model name
   * @return its releaseSeq, 0 when none is installed
   */
  public long installedReleaseSeq(String model) {
    return releaseSeqs.getOrDefault(model, 0L);
  }

  /**
   * This state after accepting a verified desired state; releases are recorded by {@link
   * #installed} once they serve.
   *
   * @param desiredSequence the verified desired state's sequence
   * @param desiredDigest the digest of its signed payload
   * @return the new state
   */
  public AcceptedState accept(long desiredSequence, Digest desiredDigest) {
    return new AcceptedState(desiredSequence, desiredDigest, releaseSeqs);
  }

  /**
   * This state once a trust root names a new hub key: the old key's sequences end with it (one it
   * signed with {@code Long.MAX_VALUE} blocks nothing); the installed releaseSeqs stay.
   *
   * @return the state with desired sequence 0
   */
  public AcceptedState newHubKey() {
    return new AcceptedState(0, null, releaseSeqs);
  }

  /**
   * This state with a release installed; the recorded releaseSeq never goes down.
   *
   * @param model the model name
   * @param releaseSeq the installed release's sequence
   * @return the new state
   */
  public AcceptedState installed(String model, long releaseSeq) {
    Map<String, Long> seqs = new HashMap<>(releaseSeqs);
    seqs.merge(model, releaseSeq, Math::max);
    return new AcceptedState(sequence, payloadDigest, seqs);
  }
}
