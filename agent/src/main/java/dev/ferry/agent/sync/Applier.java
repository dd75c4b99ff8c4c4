package dev.ferry.agent.sync;

import dev.ferry.agent.failure.Failure;
import dev.ferry.agent.failure.Reason;
import dev.ferry.agent.fetch.ArtifactFetcher;
import dev.ferry.agent.runtime.Models;
import dev.ferry.agent.runtime.ProviderSetup;
import dev.ferry.agent.runtime.Rollback;
import dev.ferry.agent.store.AgentState;
import dev.ferry.agent.store.ContentStore;
import dev.ferry.agent.store.FailedVersion;
import dev.ferry.agent.store.StateFile;
import dev.ferry.agent.store.Target;
import dev.ferry.agent.trust.DesiredStateVerifier;
import dev.ferry.agent.trust.RevocationStore;
import dev.ferry.agent.trust.RootFollower;
import dev.ferry.agent.trust.UntrustedRevocationsException;
import dev.ferry.agent.trust.VerifiedDesired;
import dev.ferry.protocol.device.EventType;
import dev.ferry.protocol.release.Revocations;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;

/**
 * Turns verified desired states into serving versions: accepts a state ({@link DesiredStates}), and
 * has the {@link Reconciliation} act on what the {@link Reconciler} decides for each assigned
 * model, on one thread. A rejected state or a failed version never disturbs what serves. What the
 * accepted state assigns is kept in {@code state.json}, so an install cut short by a crash or an
 * outage resumes ({@link #reconcile}) from its partial downloads; a version that fails for good is
 * not tried again until the hub assigns another artifact.
 */
public final class Applier {
  private static final Logger LOG = Logger.getLogger(Applier.class);

  /**
   * What the applier needs.
   *
   * @param newerDesired true while a newer desired state waits for the apply thread: an install or
   *     a prefetch stops waiting for its download and gives way to it
   */
  public record Parts(
      String deviceId,
      String agentVersion,
      Map<String, String> labels,
      ProviderSetup providers,
      DesiredStateVerifier verifier,
      ArtifactFetcher fetcher,
      ContentStore store,
      StateFile stateFile,
      Models models,
      Reporter reporter,
      RootFollower roots,
      Clock clock,
      RevocationStore revocations,
      Freshness freshness,
      BooleanSupplier newerDesired) {}

  private final Parts parts;
  private final SavedState state;
  private final Reports reports;
  private final Installer installer;
  private final Withdrawals withdrawals;
  private final DesiredStates desired;
  private final Reconciliation reconciliation;
  private boolean pending;

  /**
   * @param parts what the applier needs
   */
  public Applier(Parts parts) {
    this.parts = parts;
    this.state = new SavedState(parts.stateFile());
    Reports.Device device =
        new Reports.Device(
            parts.deviceId(), parts.agentVersion(), parts.labels(), parts.providers().usable());
    this.reports =
        new Reports(
            device,
            parts.reporter(),
            parts.models(),
            state::get,
            () -> parts.roots().current().version(),
            parts.clock());
    this.installer = Installer.of(parts, state, reports);
    this.withdrawals = new Withdrawals(state, parts.models(), reports);
    this.desired = new DesiredStates(parts, state, reports);
    this.reconciliation = new Reconciliation(state, installer, withdrawals, reports, parts);
    reports.freshness(parts.freshness()::label);
  }

  /**
   * Loads {@code state.json} and makes every installed version serve from the cache, offline (the
   * agent does the same in two steps, {@link CacheRestore} before its broker is set up).
   *
   * @throws IOException if state.json cannot be read or does not decode
   */
  public void restore() throws IOException {
    AgentState saved = state.load();
    parts.models().restoring(saved.models().keySet());
    serveCache(
        saved,
        CacheRestore.of(parts.store(), parts.providers(), parts.models())
            .load(saved, CacheRestore.threads()));
  }

  /**
   * Takes the state read at start and what {@link CacheRestore} made of its installed versions:
   * withdraws what the revocation list names, then reports, and only then lets the models answer
   * ({@link Models#restored}). A version whose cached files were altered did not load; its blobs
   * are dropped so that {@link #reconcile} fetches them again.
   *
   * @param saved state.json as read at start
   * @param outcomes each installed version's, from {@link CacheRestore#load}
   */
  synchronized void serveCache(AgentState saved, List<CacheRestore.Restored> outcomes) {
    try {
      state.adopt(saved);
      reports.unusableProviders();
      installer.restored(outcomes);
      parts.revocations().current().ifPresent(withdrawals::apply);
      withdrawals.restore(state.get());
      for (Target target : saved.targets()) {
        FailedVersion failed = saved.failed().get(target.name());
        if (failed != null
            && failed.manifestDigest().equals(target.assignment().manifestDigest())) {
          reports.failed(target.name(), failed.version(), failed.reason());
        }
      }
      reports.send();
    } finally {
      parts.models().restored();
    }
  }

  /**
   * Applies a desired-state payload from MQTT.
   *
   * @param payload the DSSE envelope bytes
   * @return whether an install waits to be retried ({@link #reconcile})
   */
  public synchronized boolean apply(byte[] payload) {
    if (payload.length == 0) {
      // an empty retained message is how MQTT deletes the topic's state: nothing to refuse, and
      // nothing to undo (only a signed, newer desired state changes what this device serves)
      LOG.info("the desired state was cleared on the broker; keeping the accepted one");
      return resumed();
    }
    Optional<VerifiedDesired> verified = desired.verify(payload);
    if (verified.isEmpty()) {
      return resumed();
    }
    desired.accept(verified.get());
    return reconcile();
  }

  /** After a desired state not accepted: what gave way to it goes on at once. */
  private boolean resumed() {
    return reconciliation.gaveWay() ? reconcile() : pending;
  }

  /**
   * Applies a revocation list from MQTT: a newer, correctly signed list is kept and every revoked
   * version withdrawn; an older one changes nothing.
   *
   * @param payload the DSSE envelope bytes
   * @return whether an install waits to be retried ({@link #reconcile})
   */
  public synchronized boolean revocations(byte[] payload) {
    if (payload.length == 0) {
      return pending;
    }
    try {
      Optional<Revocations> list = parts.revocations().accept(payload);
      if (list.isEmpty()) {
        return pending;
      }
      LOG.infof("revocation list version %d received", list.get().version());
      withdrawals.apply(list.get());
      return reconcile();
    } catch (UntrustedRevocationsException | UncheckedIOException e) {
      LOG.warnf("refused a revocation list: %s", e.getMessage());
      return pending;
    }
  }

  /**
   * Walks the hub's chain of trust roots from the held one. A new hub key resets the accepted
   * desired sequence; the last refused desired state is tried again under the new root.
   *
   * @param payload the {@code ferry.rootchain/v1} bytes from {@code ferry/v1/trust/roots}
   * @return whether an install waits to be retried
   */
  public synchronized boolean followRoots(byte[] payload) {
    return desired.followRoots(payload).map(this::apply).orElse(pending);
  }

  /**
   * Brings what serves in line with the accepted desired state: installs what is missing, repairs
   * what the cache lost, and collects garbage once nothing waits.
   *
   * @return whether an install waits to be retried
   */
  public synchronized boolean reconcile() {
    pending = reconciliation.run();
    reports.send();
    return pending;
  }

  /**
   * Records a probation rollback: the fallback is the installed version again and the rolled-back
   * one is not tried again.
   *
   * @param rollback what the serving slot did
   */
  public synchronized void rolledBack(Rollback rollback) {
    String name = rollback.model();
    Failure failure = new Failure(Reason.ROLLED_BACK, rollback.reason());
    if (state.get().hasFallback(name)) {
      state.save(state.get().rollBack(name, failure));
    } else {
      LOG.warnf("rollback of %s not recorded: it has no fallback in state.json", name);
    }
    LOG.warnf("rolled %s back from %s to %s: %s", name, rollback.from(), rollback.to(), failure);
    reports.rolledBack(name, rollback.from(), failure);
    reports.send();
  }

  /**
   * Reports a failure that escaped {@link #apply} or {@link #reconcile} (a full disk, a defect) as
   * a {@code FAILED} event; the caller retries.
   *
   * @param failure what was thrown
   */
  public synchronized void failed(RuntimeException failure) {
    Failure internal = new Failure(Reason.INTERNAL_ERROR, String.valueOf(failure.getMessage()));
    reports.event(EventType.FAILED, null, null, internal.text() + "; retrying");
  }

  /** Warns once, by a log line, an event and the reported state, when the agent turns STALE. */
  public synchronized void checkFreshness() {
    parts
        .freshness()
        .staleWarning()
        .ifPresent(
            warning -> {
              LOG.warn(warning);
              reports.event(EventType.STALE, null, null, warning);
              reports.send();
            });
  }

  /** Sends the reported state: accepted sequence, and per model its status and versions. */
  public synchronized void report() {
    reports.send();
  }

  /**
   * Whether every assigned model serves, active or fallback; true when none is assigned. Before the
   * first desired state, the installed models count as assigned. Never waits for an install.
   */
  public boolean assignedModelsServe() {
    return state.loaded().map(Applier::assigned).map(this::serve).orElse(false);
  }

  private boolean serve(Set<String> names) {
    return names.stream().allMatch(name -> parts.models().slot(name).isPresent());
  }

  /** What the accepted state assigns; before the first, what state.json has installed. */
  private static Set<String> assigned(AgentState state) {
    return state.targets().isEmpty()
        ? state.models().keySet()
        : state.targets().stream().map(Target::name).collect(Collectors.toSet());
  }

  /** The current state, for tests and health; never waits for an install. */
  public Optional<AgentState> state() {
    return state.loaded();
  }
}
