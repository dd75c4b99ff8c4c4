package dev.ferry.agent.runtime;

import dev.ferry.agent.config.AgentConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import java.time.InstantSource;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/** The serving slots by model name; rollbacks are fired as CDI {@link Rollback} events. */
@ApplicationScoped
public class Models {
  private final Map<String, ModelSlot> slots = new ConcurrentHashMap<>();
  private final Map<String, String> stopped = new ConcurrentHashMap<>();
  private final Probation.Policy policy;
  private final Event<Rollback> rollbacks;
  private final InstantSource clock = InstantSource.system();
  private volatile Set<String> restoring = Set.of();

  Models(AgentConfig config, Event<Rollback> rollbacks) {
    AgentConfig.Probation probation = config.probation();
    this.policy =
        new Probation.Policy(probation.window(), probation.maxErrorRate(), probation.minRequests());
    this.rollbacks = rollbacks;
  }

  /**
   * Makes a loaded version serve: a new slot for a new model, else a swap.
   *
   * @param name the model name; must be the version's
   * @param version a version from {@link VersionLoader#load}
   * @return the model's slot
   */
  public ModelSlot install(String name, LoadedVersion version) {
    if (!name.equals(version.spec().model())) {
      throw new IllegalArgumentException(
          "cannot install version of model '" + version.spec().model() + "' as '" + name + "'");
    }
    ModelSlot slot = slots.compute(name, (n, old) -> swapOrCreate(old, version));
    stopped.remove(name);
    return slot;
  }

  /**
   * Stops serving a model: new requests find no model and are told why, those running finish on
   * their version, whose session then closes.
   *
   * @param name the model name
   * @param reason why, for the answer to later requests
   */
  public void stop(String name, String reason) {
    ModelSlot slot = slots.remove(name);
    String message = slot != null ? slot.stop(reason) : ModelSlot.stopMessage(name, reason);
    stopped.put(name, message);
  }

  /** Why a model stopped serving, until a version of it is installed again. */
  public Optional<String> stopped(String name) {
    return Optional.ofNullable(stopped.get(name));
  }

  /**
   * The models the cache is being restored for, from the agent's start until {@link #restored}: a
   * request for one is told to come back, not that the model is unknown, while the HTTP server
   * already answers.
   *
   * @param names the models the saved state names
   */
  public void restoring(Set<String> names) {
    restoring = Set.copyOf(names);
  }

  /** The cache is restored: whatever serves now has passed every check of the start. */
  public void restored() {
    restoring = Set.of();
  }

  /** Whether a model is among those still being restored from the cache. */
  public boolean restoring(String name) {
    return restoring.contains(name);
  }

  /** The slot of a model, if it serves. */
  public Optional<ModelSlot> slot(String name) {
    return Optional.ofNullable(slots.get(name));
  }

  /** The names of the models that serve. */
  public Set<String> names() {
    return new TreeSet<>(slots.keySet());
  }

  private ModelSlot swapOrCreate(ModelSlot slot, LoadedVersion version) {
    if (slot == null) {
      return new ModelSlot(version, () -> new Probation(policy, clock), rollbacks::fire);
    }
    slot.swap(version);
    return slot;
  }
}
