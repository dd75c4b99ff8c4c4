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
  private final Probation.Policy policy;
  private final Event<Rollback> rollbacks;
  private final InstantSource clock = InstantSource.system();

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
    return slots.compute(name, (n, slot) -> swapOrCreate(slot, version));
  }

  /**
   * Stops serving a model: new requests find no model, those running finish on their version. Its
   * sessions are not closed: a request that found the slot just before may still acquire it (they
   * go with the process; this happens only when a revoked version has nothing to fall back to).
   *
   * @param name the model name
   */
  public void remove(String name) {
    slots.remove(name);
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
