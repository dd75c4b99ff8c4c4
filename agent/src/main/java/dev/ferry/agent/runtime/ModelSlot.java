package dev.ferry.agent.runtime;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * One model's serving slot: the active version and the fallback. Swaps replace the active pointer
 * atomically; a version leaving the slot closes once its requests drain.
 */
public final class ModelSlot {
  private record State(LoadedVersion active, LoadedVersion fallback, Probation probation) {}

  private final String model;
  private final Supplier<Probation> probations;
  private final Consumer<Rollback> rollbacks;
  private volatile State state;
  private volatile String stopped;

  /**
   * A slot serving its first version.
   *
   * @param first the first version; it has no fallback and so no probation
   * @param probations starts the probation of each later version
   * @param rollbacks told of every rollback
   */
  public ModelSlot(
      LoadedVersion first, Supplier<Probation> probations, Consumer<Rollback> rollbacks) {
    this.model = first.spec().model();
    this.probations = probations;
    this.rollbacks = rollbacks;
    this.state = new State(first, null, null);
  }

  /** The model name. */
  public String model() {
    return model;
  }

  /** The version serving requests. */
  public LoadedVersion active() {
    return state.active();
  }

  /** The version kept to roll back to. */
  public Optional<LoadedVersion> fallback() {
    return Optional.ofNullable(state.fallback());
  }

  /** The active version, then the fallback if any. */
  public List<LoadedVersion> versions() {
    State now = state;
    List<LoadedVersion> versions = new ArrayList<>(List.of(now.active()));
    if (now.fallback() != null) {
      versions.add(now.fallback());
    }
    return versions;
  }

  /** The active or fallback version of that name, if it is one. */
  public Optional<LoadedVersion> version(String version) {
    return versions().stream().filter(v -> v.version().equals(version)).findFirst();
  }

  /**
   * A lease on the active version; never waits for a load. A version taken out of service gives no
   * new lease, so a request that found it just before a swap runs on the version that replaced it.
   *
   * @throws ModelStoppedException if the model has stopped serving
   */
  public Lease acquire() {
    while (true) {
      checkServing();
      LoadedVersion active = state.active();
      if (active.acquire()) {
        return new Lease(active);
      }
    }
  }

  /**
   * A lease on the active or fallback version of that name; empty if neither is.
   *
   * @throws ModelStoppedException if the model has stopped serving
   */
  public Optional<Lease> acquire(String version) {
    while (true) {
      checkServing();
      Optional<LoadedVersion> found =
          versions().stream().filter(v -> v.version().equals(version)).findFirst();
      if (found.isEmpty()) {
        return Optional.empty();
      }
      if (found.get().acquire()) {
        return Optional.of(new Lease(found.get()));
      }
    }
  }

  /**
   * Makes a loaded version active; the active one becomes the fallback and the old fallback is
   * retired. The new version is on probation.
   */
  public synchronized void swap(LoadedVersion next) {
    State old = state;
    if (next == old.active()) {
      throw new IllegalArgumentException("version " + next.version() + " is already active");
    }
    if (!next.spec().model().equals(model)) {
      throw new IllegalArgumentException(
          "slot of model '" + model + "' cannot serve model '" + next.spec().model() + "'");
    }
    state = new State(next, old.active(), probations.get());
    if (old.fallback() != null && old.fallback() != next) {
      old.fallback().retire();
    }
  }

  /**
   * Swaps the fallback back in and retires the active version.
   *
   * @param reason why, for reports
   * @return the rollback
   * @throws IllegalStateException if there is no fallback
   */
  public synchronized Rollback rollback(String reason) {
    Rollback rollback = swapBack(reason);
    rollbacks.accept(rollback);
    return rollback;
  }

  /**
   * Swaps the fallback back in because the active version was withdrawn (revoked); unlike {@link
   * #rollback} nobody is told, the caller records it. Requests on the active version finish.
   *
   * @param reason why
   * @return the swap back
   * @throws IllegalStateException if there is no fallback
   */
  public synchronized Rollback withdraw(String reason) {
    return swapBack(reason);
  }

  /** Retires the fallback, so that nothing swaps back to it. */
  public synchronized void dropFallback() {
    State old = state;
    if (old.fallback() != null) {
      state = new State(old.active(), null, old.probation());
      old.fallback().retire();
    }
  }

  /**
   * Stops serving the model: no new lease is given, and each version closes once the requests it
   * holds finish.
   *
   * @param reason why, for the answer to later requests
   * @return the message those requests get
   */
  public synchronized String stop(String reason) {
    stopped = stopMessage(model, reason);
    State old = state;
    old.active().retire();
    if (old.fallback() != null) {
      old.fallback().retire();
    }
    return stopped;
  }

  /** What requests to a model stopped for that reason are told. */
  static String stopMessage(String model, String reason) {
    return "model '" + model + "' stopped serving: " + reason;
  }

  private void checkServing() {
    String message = stopped;
    if (message != null) {
      throw new ModelStoppedException(message);
    }
  }

  private Rollback swapBack(String reason) {
    State old = state;
    if (old.fallback() == null) {
      throw new IllegalStateException(
          "model '" + model + "' has no fallback to roll back to from " + old.active().version());
    }
    state = new State(old.fallback(), null, null);
    old.active().retire();
    return new Rollback(model, old.active().version(), old.fallback().version(), reason);
  }

  /**
   * Counts a finished request; rolls back if it breaches the active version's probation.
   *
   * @param served the version that ran it
   * @param error whether it failed inside ONNX Runtime
   * @return the rollback it caused, if any
   */
  public Optional<Rollback> record(LoadedVersion served, boolean error) {
    State now = state;
    Probation probation = now.probation();
    if (probation == null || served != now.active()) {
      return Optional.empty();
    }
    probation.record(error);
    if (probation.breached()) {
      return rollbackIfStill(now, probation.reason());
    }
    if (probation.over()) {
      endProbation(now);
    }
    return Optional.empty();
  }

  private synchronized Optional<Rollback> rollbackIfStill(State seen, String reason) {
    return state == seen ? Optional.of(rollback(reason)) : Optional.empty();
  }

  private synchronized void endProbation(State seen) {
    if (state == seen) {
      state = new State(seen.active(), seen.fallback(), null);
    }
  }
}
