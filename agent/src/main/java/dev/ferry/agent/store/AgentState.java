package dev.ferry.agent.store;

import dev.ferry.agent.trust.AcceptedState;
import dev.ferry.protocol.json.Schema;
import dev.ferry.protocol.oci.Digest;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * The agent's durable state, {@code state.json}: what it has accepted and, per model, the active
 * and fallback versions.
 *
 * @param accepted the accepted desired sequence and installed releaseSeqs
 * @param models the installed versions by model name
 */
@Schema("ferry.agent-state/v1")
public record AgentState(AcceptedState accepted, Map<String, ModelSlot> models) {
  /** Fills in absent fields and copies the map. */
  public AgentState {
    accepted = accepted == null ? AcceptedState.initial() : accepted;
    models = models == null ? Map.of() : Map.copyOf(models);
  }

  /** The state of an agent that has accepted and installed nothing. */
  public static AgentState empty() {
    return new AgentState(AcceptedState.initial(), Map.of());
  }

  /**
   * This state after a new version of a model starts serving: it becomes active, the previous
   * active version the fallback, and its releaseSeq is recorded as installed.
   *
   * @param version the new version
   * @return the new state
   */
  public AgentState activate(InstalledVersion version) {
    Map<String, ModelSlot> next = new HashMap<>(models);
    ModelSlot slot = models.get(version.name());
    next.put(version.name(), slot == null ? new ModelSlot(version, null) : slot.activate(version));
    return new AgentState(accepted.installed(version.name(), version.releaseSeq()), next);
  }

  /**
   * This state with a new accepted state.
   *
   * @param accepted the accepted state
   * @return the new state
   */
  public AgentState withAccepted(AcceptedState accepted) {
    return new AgentState(accepted, models);
  }

  /**
   * This state without a model that is no longer assigned; its installed releaseSeq is kept, so a
   * later reassignment cannot roll it back.
   *
   * @param model the model name
   * @return the new state
   */
  public AgentState without(String model) {
    Map<String, ModelSlot> next = new HashMap<>(models);
    next.remove(model);
    return new AgentState(accepted, next);
  }

  /** The blobs that garbage collection must keep: every model's active and fallback version. */
  public Set<Digest> referencedBlobs() {
    Set<Digest> all = new HashSet<>();
    models.values().forEach(slot -> all.addAll(slot.blobs()));
    return all;
  }
}
