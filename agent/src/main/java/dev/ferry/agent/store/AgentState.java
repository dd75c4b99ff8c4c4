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
 * and fallback versions, what the accepted desired state assigns and prefetches, the versions that
 * failed for good, and the prefetched releases in the cache.
 *
 * @param accepted the accepted desired sequence and installed releaseSeqs
 * @param models the installed versions by model name
 * @param targets what the last accepted desired state assigns
 * @param failed by model name, the assigned version that failed for good
 * @param prefetch what the last accepted desired state prefetches, each statement verified
 * @param prefetched by model name, a prefetched release fetched and verified into the cache (not
 *     serving); its blobs are kept until it is installed or no longer prefetched
 */
@Schema("ferry.agent-state/v1")
@MaxBytes(16 << 20)
public record AgentState(
    AcceptedState accepted,
    Map<String, InstalledModel> models,
    List<Target> targets,
    Map<String, FailedVersion> failed,
    List<Target> prefetch,
    Map<String, InstalledVersion> prefetched) {
  /** Fills in absent fields (a state.json written before prefetch has neither) and copies. */
  public AgentState {
    accepted = accepted == null ? AcceptedState.initial() : accepted;
    models = models == null ? Map.of() : Map.copyOf(models);
    targets = targets == null ? List.of() : List.copyOf(targets);
    failed = failed == null ? Map.of() : Map.copyOf(failed);
    prefetch = prefetch == null ? List.of() : List.copyOf(prefetch);
    prefetched = prefetched == null ? Map.of() : Map.copyOf(prefetched);
  }

  /** The state of an agent that has accepted and installed nothing. */
  public static AgentState empty() {
    return new AgentState(
        AcceptedState.initial(), Map.of(), List.of(), Map.of(), List.of(), Map.of());
  }

  /**
   * This state after accepting a desired state: its sequence, what it assigns and what it
   * prefetches. A prefetched release stays recorded while the new state prefetches or assigns it;
   * the others are dropped (their blobs go at the next garbage collection).
   *
   * @param next the accepted state
   * @param assigned what it assigns
   * @param prefetching what it prefetches
   * @return the new state
   */
  public AgentState accept(AcceptedState next, List<Target> assigned, List<Target> prefetching) {
    Set<Digest> wanted = new HashSet<>();
    assigned.forEach(target -> wanted.add(target.assignment().manifestDigest()));
    prefetching.forEach(target -> wanted.add(target.assignment().manifestDigest()));
    Map<String, InstalledVersion> kept = new HashMap<>(prefetched);
    kept.values().removeIf(version -> !wanted.contains(version.manifestDigest()));
    return new AgentState(next, models, assigned, failed, prefetching, kept);
  }

  /**
   * This state with a prefetched release in the cache.
   *
   * @param version the release as it would install (files, statement, variant)
   * @return the new state
   */
  public AgentState prefetched(InstalledVersion version) {
    Map<String, InstalledVersion> next = new HashMap<>(prefetched);
    next.put(version.name(), version);
    return new AgentState(accepted, models, targets, failed, prefetch, next);
  }

  /**
   * Whether a release is in the cache as prefetched.
   *
   * @param model the model name
   * @param manifestDigest the release's manifest digest
   * @return whether this state records it as prefetched
   */
  public boolean isPrefetched(String model, Digest manifestDigest) {
    InstalledVersion version = prefetched.get(model);
    return version != null && version.manifestDigest().equals(manifestDigest);
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
    return new AgentState(accepted, models, targets, next, prefetch, prefetched);
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
    return new AgentState(accepted, next, targets, failed, prefetch, prefetched)
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
    return new AgentState(accepted, next, targets, failed, prefetch, prefetched)
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
    return new AgentState(accepted, next, targets, failed, prefetch, prefetched);
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
    Map<String, InstalledVersion> stillPrefetched = new HashMap<>(prefetched);
    if (isPrefetched(version.name(), version.manifestDigest())) {
      stillPrefetched.remove(version.name());
    }
    return new AgentState(
        accepted.installed(version.name(), version.releaseSeq()),
        next,
        targets,
        stillFailed,
        prefetch,
        stillPrefetched);
  }

  /**
   * This state with a new accepted state.
   *
   * @param accepted the accepted state
   * @return the new state
   */
  public AgentState withAccepted(AcceptedState accepted) {
    return new AgentState(accepted, models, targets, failed, prefetch, prefetched);
  }

  /**
   * The blobs that garbage collection must keep: every model's active and fallback version, and the
   * prefetched releases.
   */
  public Set<Digest> referencedBlobs() {
    Set<Digest> all = new HashSet<>();
    models.values().forEach(slot -> all.addAll(slot.blobs()));
    prefetched.values().forEach(version -> all.addAll(version.blobs()));
    return all;
  }
}
