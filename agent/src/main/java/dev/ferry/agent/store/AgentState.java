package dev.ferry.agent.store;

import dev.ferry.agent.failure.Failure;
import dev.ferry.protocol.json.MaxBytes;
import dev.ferry.protocol.json.Schema;
import dev.ferry.protocol.oci.Digest;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The agent's durable state, {@code state.json}: what it has accepted and, per model, the active
 * and fallback versions, what the accepted desired state assigns, and the versions that failed for
 * good.
 *
 * @param accepted the accepted desired sequence and installed releaseSeqs
 * @param models the installed versions by model name
 * @param targets what the last accepted desired state assigns
 * @param failed by model name, the assigned version that failed for good
 */
@Schema("ferry.agent-state/v1")
@MaxBytes(16 << 20)
public record AgentState(
    AcceptedState accepted,
    Map<String, InstalledModel> models,
    List<Target> targets,
    Map<String, FailedVersion> failed) {
  /** Fills in absent fields and copies the collections. */
  public AgentState {
    accepted = accepted == null ? AcceptedState.initial() : accepted;
    models = models == null ? Map.of() : Map.copyOf(models);
    targets = targets == null ? List.of() : List.copyOf(targets);
    failed = failed == null ? Map.of() : Map.copyOf(failed);
  }

  /** The state of an agent that has accepted and installed nothing. */
  public static AgentState empty() {
    return new AgentState(AcceptedState.initial(), Map.of(), List.of(), Map.of());
  }

  /**
   * This state after accepting a desired state: its sequence and what it assigns.
   *
   * @param next the accepted state
   * @param assigned what it assigns
   * @return the new state
   */
  public AgentState accept(AcceptedState next, List<Target> assigned) {
    return new AgentState(next, models, assigned, failed);
  }

  /**
   * This state with a version that failed for good.
   *
   * @param model the model name
   * @param version the failed version
   * @return the new state
   */
  public AgentState fail(String model, FailedVersion version) {
    Map<String, FailedVersion> next = new HashMap<>(failed);
    next.put(model, version);
    return new AgentState(accepted, models, targets, next);
  }

  /**
   * Whether a model has a fallback version to roll back to.
   *
   * @param model the model name
   * @return whether it is installed with a fallback
   */
  public boolean hasFallback(String model) {
    InstalledModel installed = models.get(model);
    return installed != null && installed.fallback() != null;
  }

  /**
   * This state after probation swapped a model back to its fallback, which becomes the only
   * installed version; the rolled-back one is recorded as failed.
   *
   * @param model the model name
   * @param reason why
   * @return the new state
   * @throws IllegalStateException if the model has no fallback
   */
  public AgentState rollBack(String model, Failure reason) {
    InstalledModel slot = models.get(model);
    if (slot == null || slot.fallback() == null) {
      throw new IllegalStateException("model '" + model + "' has no fallback in state.json");
    }
    Map<String, InstalledModel> next = new HashMap<>(models);
    next.put(model, new InstalledModel(slot.fallback(), null));
    InstalledVersion bad = slot.active();
    return new AgentState(accepted, next, targets, failed)
        .fail(model, new FailedVersion(bad.manifestDigest(), bad.version(), reason));
  }

  /**
   * This state after a model's active version was withdrawn with nothing to fall back to: the model
   * is no longer installed and the version is recorded as failed.
   *
   * @param model the model name
   * @param reason why
   * @return the new state; this one if the model is not installed
   */
  public AgentState withdraw(String model, Failure reason) {
    InstalledModel slot = models.get(model);
    if (slot == null) {
      return this;
    }
    Map<String, InstalledModel> next = new HashMap<>(models);
    next.remove(model);
    InstalledVersion bad = slot.active();
    return new AgentState(accepted, next, targets, failed)
        .fail(model, new FailedVersion(bad.manifestDigest(), bad.version(), reason));
  }

  /**
   * This state without a model's fallback version (it was revoked).
   *
   * @param model the model name
   * @return the new state
   */
  public AgentState dropFallback(String model) {
    InstalledModel slot = models.get(model);
    if (slot == null || slot.fallback() == null) {
      return this;
    }
    Map<String, InstalledModel> next = new HashMap<>(models);
    next.put(model, new InstalledModel(slot.active(), null));
    return new AgentState(accepted, next, targets, failed);
  }

  /**
   * This state after a new version of a model starts serving: it becomes active, the previous
   * active version the fallback, and its releaseSeq is recorded as installed.
   *
   * @param version the new version
   * @return the new state
   */
  public AgentState activate(InstalledVersion version) {
    Map<String, InstalledModel> next = new HashMap<>(models);
    InstalledModel slot = models.get(version.name());
    next.put(
        version.name(), slot == null ? new InstalledModel(version, null) : slot.activate(version));
    Map<String, FailedVersion> stillFailed = new HashMap<>(failed);
    stillFailed.remove(version.name());
    return new AgentState(
        accepted.installed(version.name(), version.releaseSeq()), next, targets, stillFailed);
  }

  /**
   * This state with a new accepted state.
   *
   * @param accepted the accepted state
   * @return the new state
   */
  public AgentState withAccepted(AcceptedState accepted) {
    return new AgentState(accepted, models, targets, failed);
  }

  /** The blobs that garbage collection must keep: every model's active and fallback version. */
  public Set<Digest> referencedBlobs() {
    Set<Digest> all = new HashSet<>();
    models.values().forEach(slot -> all.addAll(slot.blobs()));
    return all;
  }
}
