package dev.ferry.agent.sync;

import dev.ferry.agent.failure.Failure;
import dev.ferry.agent.failure.Reason;
import dev.ferry.agent.runtime.ModelSlot;
import dev.ferry.agent.runtime.Models;
import dev.ferry.agent.store.AgentState;
import dev.ferry.agent.store.FailedVersion;
import dev.ferry.agent.store.InstalledModel;
import dev.ferry.agent.store.InstalledVersion;
import dev.ferry.agent.store.Target;
import dev.ferry.protocol.release.Revocations;
import dev.ferry.protocol.release.RevokedRelease;
import java.util.List;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Takes revoked versions out of service: a revoked fallback is dropped; a revoked active version
 * gives way to its fallback (requests on it finish first), or, with none, the model stops serving.
 */
final class Withdrawals {
  private static final Logger LOG = Logger.getLogger(Withdrawals.class);

  private final SavedState state;
  private final Models models;
  private final Reports reports;

  Withdrawals(SavedState state, Models models, Reports reports) {
    this.state = state;
    this.models = models;
    this.reports = reports;
  }

  /** The failure recorded and reported for a revoked version. */
  static Failure failure(RevokedRelease revoked) {
    return new Failure(
        Reason.REVOKED,
        revoked.id() + " was revoked at " + revoked.revokedAt() + ": " + revoked.reason());
  }

  /**
   * Withdraws every installed version the list revokes.
   *
   * @param list the verified revocation list
   * @return whether anything changed
   */
  boolean apply(Revocations list) {
    boolean changed = false;
    for (InstalledModel installed : List.copyOf(state.get().models().values())) {
      changed |= dropFallback(installed, list);
      changed |= withdraw(installed.active(), list);
    }
    return changed;
  }

  /**
   * After a restart: a model whose only version was revoked answers that it stopped serving, as
   * before the restart.
   *
   * @param loaded the state read at start
   */
  void restore(AgentState loaded) {
    loaded.failed().entrySet().stream()
        .filter(failed -> failed.getValue().reason().reason() == Reason.REVOKED)
        .filter(failed -> !loaded.models().containsKey(failed.getKey()))
        .forEach(failed -> models.stop(failed.getKey(), failed.getValue().reason().text()));
  }

  /**
   * Refuses an assigned version because it is revoked: recorded as failed for good, reported.
   *
   * @param target the assigned model
   * @param failure the revocation, from {@link #failure}
   */
  void refuse(Target target, Failure failure) {
    String version = target.statement().predicate().version();
    LOG.warnf("refused version %s of %s: %s", version, target.name(), failure);
    FailedVersion failed =
        new FailedVersion(target.assignment().manifestDigest(), version, failure);
    state.save(state.get().fail(target.name(), failed));
    reports.withdrawn(target.name(), version, failure);
  }

  private boolean dropFallback(InstalledModel installed, Revocations list) {
    InstalledVersion fallback = installed.fallback();
    if (fallback == null || list.find(fallback.name(), fallback.manifestDigest()).isEmpty()) {
      return false;
    }
    models.slot(fallback.name()).ifPresent(ModelSlot::dropFallback);
    state.save(state.get().dropFallback(fallback.name()));
    LOG.warnf("dropped the fallback %s %s: it is revoked", fallback.name(), fallback.version());
    return true;
  }

  private boolean withdraw(InstalledVersion active, Revocations list) {
    Optional<RevokedRelease> revoked = list.find(active.name(), active.manifestDigest());
    if (revoked.isEmpty()) {
      return false;
    }
    Failure failure = failure(revoked.get());
    Optional<ModelSlot> slot = models.slot(active.name());
    if (slot.isPresent()
        && slot.get().fallback().isPresent()
        && state.get().hasFallback(active.name())) {
      fallBack(slot.get(), active, failure);
    } else {
      stop(active, failure);
    }
    return true;
  }

  private void fallBack(ModelSlot slot, InstalledVersion active, Failure failure) {
    String name = active.name();
    var swap = slot.withdraw(failure.text());
    state.save(state.get().rollBack(name, failure));
    LOG.warnf("withdrew %s %s, %s serves again: %s", name, swap.from(), swap.to(), failure);
    reports.withdrawn(name, active.version(), failure);
  }

  private void stop(InstalledVersion active, Failure failure) {
    String name = active.name();
    models.stop(name, failure.text());
    state.save(state.get().withdraw(name, failure));
    LOG.warnf(
        "stopped serving %s: %s %s has no fallback: %s", name, name, active.version(), failure);
    reports.withdrawn(name, active.version(), failure);
  }
}
