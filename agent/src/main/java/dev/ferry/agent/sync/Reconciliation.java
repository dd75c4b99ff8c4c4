package dev.ferry.agent.sync;

import dev.ferry.agent.failure.Failure;
import dev.ferry.agent.runtime.Models;
import dev.ferry.agent.store.ContentStore;
import dev.ferry.agent.store.FailedVersion;
import dev.ferry.agent.store.Target;
import dev.ferry.agent.trust.RevocationStore;
import dev.ferry.protocol.device.EventType;
import java.io.IOException;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Acts on the {@link Reconciler}'s verdict for each model the accepted state assigns: installs,
 * records a version failed for good, or leaves it for a retry; collects garbage once nothing waits.
 */
final class Reconciliation {
  private static final Logger LOG = Logger.getLogger(Reconciliation.class);

  private final SavedState state;
  private final Installer installer;
  private final Withdrawals withdrawals;
  private final Reports reports;
  private final Models models;
  private final RevocationStore revocations;
  private final ContentStore store;

  Reconciliation(
      SavedState state,
      Installer installer,
      Withdrawals withdrawals,
      Reports reports,
      Applier.Parts parts) {
    this.state = state;
    this.installer = installer;
    this.withdrawals = withdrawals;
    this.reports = reports;
    this.models = parts.models();
    this.revocations = parts.revocations();
    this.store = parts.store();
  }

  /**
   * Brings what serves in line with the accepted desired state.
   *
   * @return whether an install waits to be retried
   */
  boolean run() {
    boolean retry = false;
    for (Target target : state.get().targets()) {
      retry |= reconcile(target) == Verdict.Action.RETRY;
    }
    if (!retry) {
      collectGarbage();
    }
    return retry;
  }

  /** Decides, acts, and returns what was done. */
  private Verdict.Action reconcile(Target target) {
    Optional<Failure> refused = Reconciler.refusal(target, state.get(), revocations.current());
    if (refused.isPresent()) {
      withdrawals.refuse(target, refused.get());
      return Verdict.Action.FAIL_FOR_GOOD;
    }
    Optional<String> serving = models.slot(target.name()).map(slot -> slot.active().version());
    Verdict verdict = Reconciler.plan(target, state.get(), serving);
    if (verdict.installs()) {
      verdict = install(target, verdict.action() == Verdict.Action.INSTALL);
    }
    if (verdict.action() == Verdict.Action.FAIL_FOR_GOOD) {
      failForGood(target, verdict.failure());
    } else if (verdict.action() == Verdict.Action.RETRY) {
      retryLater(target, verdict.failure());
    }
    return verdict.action();
  }

  private Verdict install(Target target, boolean record) {
    return installer.install(target, record).map(Reconciler::afterFailure).orElse(Verdict.SKIP);
  }

  private void failForGood(Target target, Failure failure) {
    String name = target.name();
    String version = target.version();
    LOG.warnf("version %s of %s failed: %s", version, name, failure);
    FailedVersion failed =
        new FailedVersion(target.assignment().manifestDigest(), version, failure);
    state.save(state.get().fail(name, failed));
    reports.failed(name, version, failure);
    reports.event(EventType.FAILED, name, version, failure.text());
  }

  private void retryLater(Target target, Failure failure) {
    String version = target.version();
    LOG.warnf(
        "version %s of %s not installed yet, retrying later: %s", version, target.name(), failure);
    reports.retrying(target.name(), version, failure);
  }

  private void collectGarbage() {
    try {
      store.gc(state.get().referencedBlobs());
    } catch (IOException e) {
      LOG.warnf("cache garbage collection failed: %s", e.getMessage());
    }
  }
}
