package dev.ferry.agent.sync;

import dev.ferry.agent.failure.Failure;
import dev.ferry.agent.failure.Reason;
import dev.ferry.agent.fetch.ArtifactFetcher;
import dev.ferry.agent.runtime.Models;
import dev.ferry.agent.store.ContentStore;
import dev.ferry.agent.store.FailedVersion;
import dev.ferry.agent.store.Target;
import dev.ferry.agent.trust.RevocationStore;
import dev.ferry.protocol.device.EventType;
import dev.ferry.protocol.oci.Digest;
import dev.ferry.protocol.retry.FailureStreak;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BooleanSupplier;
import org.jboss.logging.Logger;

/**
 * Acts on the {@link Reconciler}'s verdict for each model the accepted state assigns: installs,
 * records a version failed for good, or leaves it for a retry; then fetches what the state
 * prefetches into the cache; collects garbage once nothing waits. Each install and prefetch gives
 * way to a newer desired state, also while its layers download (the download goes on meanwhile, and
 * the next fetch of those blobs waits for it).
 */
final class Reconciliation {
  private static final Logger LOG = Logger.getLogger(Reconciliation.class);
  private static final Duration REMIND_EVERY = Duration.ofMinutes(10);

  private final SavedState state;
  private final Installer installer;
  private final Withdrawals withdrawals;
  private final Reports reports;
  private final Models models;
  private final RevocationStore revocations;
  private final ContentStore store;
  private final ArtifactFetcher fetcher;
  private final BooleanSupplier newerDesired;
  // prefetched releases that failed for a reason a retry cannot mend: not fetched again in this
  // process (their install, if assigned, meets the same failure and records it)
  private final Set<Digest> refusedPrefetches = new HashSet<>();
  // the last run stopped for a newer desired state before it was done
  private boolean gaveWay;
  // per model, the install of one version that keeps waiting for a retry: told once, then every
  // ten minutes, and when it ends, not at each retry
  private final Map<String, Retries> retries = new HashMap<>();
  private final Map<Digest, Retries> prefetchRetries = new HashMap<>();
  private final Clock clock;

  /**
   * A version's failed attempts, and the reason last sent as an event: a retry's event goes out at
   * the streak's start, with each reminder, and when the reason changes, not with every attempt
   * (offline for a week, the event queue would hold nothing else).
   */
  private static final class Retries {
    private final String version;
    private final FailureStreak streak = new FailureStreak(REMIND_EVERY);
    private String told;

    Retries(String version) {
      this.version = version;
    }

    String version() {
      return version;
    }

    FailureStreak streak() {
      return streak;
    }

    /** Whether this attempt's failure is sent as an event: news, or a reminder. */
    boolean tell(FailureStreak.Report report, String reason) {
      boolean tell = report != FailureStreak.Report.QUIET || !reason.equals(told);
      told = reason;
      return tell;
    }
  }

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
    this.fetcher = parts.fetcher();
    this.newerDesired = parts.newerDesired();
    this.clock = parts.clock();
  }

  /**
   * Brings what serves in line with the accepted desired state.
   *
   * @return whether an install waits to be retried
   */
  boolean run() {
    gaveWay = false;
    reports.keepOnly(assignedOrInstalled());
    Set<String> assigned = new HashSet<>();
    state.get().targets().forEach(target -> assigned.add(target.name()));
    retries.keySet().retainAll(assigned);
    Set<Digest> prefetched = new HashSet<>();
    state.get().prefetch().forEach(t -> prefetched.add(t.assignment().manifestDigest()));
    prefetchRetries.keySet().retainAll(prefetched);
    // the releases an install or prefetch still waits for: the cache keeps what it holds of them
    List<Target> waiting = new ArrayList<>();
    for (Target target : state.get().targets()) {
      if (newerDesired.getAsBoolean()) {
        return gaveWay = true; // the newer state goes first, then what it assigns is reconciled
      }
      if (reconcile(target) == Verdict.Action.RETRY) {
        waiting.add(target);
      }
    }
    for (Target target : state.get().prefetch()) {
      if (newerDesired.getAsBoolean()) {
        return gaveWay = true; // the newer state goes first; what it still prefetches after
      }
      if (prefetch(target)) {
        waiting.add(target);
      }
    }
    collectGarbage(waiting);
    return !waiting.isEmpty();
  }

  /**
   * Whether the last run stopped for a newer desired state: when that state is not accepted (a
   * repeat, or refused), the run is due again at once rather than at the next retry.
   */
  boolean gaveWay() {
    return gaveWay;
  }

  private Set<String> assignedOrInstalled() {
    Set<String> names = new HashSet<>(state.get().models().keySet());
    state.get().targets().forEach(target -> names.add(target.name()));
    return names;
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
    if (verdict.action() != Verdict.Action.RETRY) {
      retriesEnded(target, verdict.action());
    }
    if (verdict.action() == Verdict.Action.FAIL_FOR_GOOD) {
      failForGood(target, verdict.failure());
    } else if (verdict.action() == Verdict.Action.RETRY && deferred(verdict.failure())) {
      giveWay(target, verdict.failure());
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

  /**
   * An install that gave way to a newer desired state: the model is reported as what serves it
   * (DOWNLOADING would stay if the newer state no longer assigns the version); the newer state's
   * reconcile reports what comes next.
   */
  private void giveWay(Target target, Failure failure) {
    gaveWay = true;
    LOG.infof(
        "install of %s %s gives way to a newer desired state: %s",
        target.name(), target.version(), failure.text());
    Optional.ofNullable(state.get().models().get(target.name()))
        .ifPresent(installed -> reports.active(installed.active()));
  }

  private void retryLater(Target target, Failure failure) {
    String name = target.name();
    String version = target.version();
    Retries tried = retries.get(name);
    if (tried == null || !tried.version().equals(version)) {
      tried = new Retries(version);
      retries.put(name, tried);
    }
    FailureStreak streak = tried.streak();
    FailureStreak.Report report = streak.failed(clock.instant());
    switch (report) {
      case FIRST ->
          LOG.warnf(
              "version %s of %s not installed yet, retrying with backoff (told again every %d"
                  + " minutes while it fails): %s",
              version, name, REMIND_EVERY.toMinutes(), failure);
      case AGAIN ->
          LOG.warnf(
              "version %s of %s still not installed, %d attempts since %s: %s",
              version, name, streak.failures(), streak.since().orElseThrow(), failure);
      case QUIET -> LOG.debugf("version %s of %s not installed yet: %s", version, name, failure);
    }
    reports.retrying(name, version, failure, tried.tell(report, failure.reason().name()));
  }

  /** A version that waited for retries was installed, failed for good or is no longer due. */
  private void retriesEnded(Target target, Verdict.Action action) {
    Retries tried = retries.remove(target.name());
    if (tried == null) {
      return;
    }
    tried
        .streak()
        .ended(clock.instant())
        .filter(ended -> action == Verdict.Action.SKIP && tried.version().equals(target.version()))
        .ifPresent(
            ended ->
                LOG.infof(
                    "version %s of %s installed after %d failed attempts over %d s",
                    tried.version(), target.name(), ended.failures(), ended.lasted().toSeconds()));
  }

  /** Fetches a prefetched release ahead of its assignment; returns whether to retry it later. */
  private boolean prefetch(Target target) {
    Digest digest = target.assignment().manifestDigest();
    if (refusedPrefetches.contains(digest) || !Reconciler.prefetches(target, state.get())) {
      return false;
    }
    Optional<Failure> failed = installer.prefetch(target);
    if (failed.isEmpty()) {
      prefetchRetries.remove(digest);
      LOG.infof("prefetched %s %s into the cache", target.name(), target.version());
      return false;
    }
    Failure failure = failed.get();
    if (deferred(failure)) {
      gaveWay = true;
      LOG.infof(
          "prefetch of %s %s gives way to a newer desired state: %s",
          target.name(), target.version(), failure.text());
      return true;
    }
    boolean retry = failure.reason().retryable();
    String text = "prefetch failed: " + failure.text() + (retry ? "; retrying" : "");
    if (!retry) {
      refusedPrefetches.add(digest);
      prefetchRetries.remove(digest);
    }
    if (!retry || tell(prefetchRetries.computeIfAbsent(digest, d -> new Retries("")), failure)) {
      LOG.warnf("%s %s: %s", target.name(), target.version(), text);
      reports.event(EventType.FAILED, target.name(), target.version(), text);
    } else {
      LOG.debugf("%s %s: %s", target.name(), target.version(), text);
    }
    return retry;
  }

  /** Counts a prefetch's failed attempt; whether it is news or a reminder, to be told. */
  private boolean tell(Retries tried, Failure failure) {
    return tried.tell(tried.streak().failed(clock.instant()), failure.reason().name());
  }

  private static boolean deferred(Failure failure) {
    return failure != null && failure.reason() == Reason.DEFERRED;
  }

  /**
   * Deletes what the cache holds that nothing serves, falls back to or prefetched, also while an
   * install or prefetch waits for a retry (a full disk waits for this to end): what those still
   * need stays, the downloads going on and what is cached of their artifacts, partial files
   * included, so that they resume; a release that failed for good keeps nothing.
   */
  private void collectGarbage(List<Target> waiting) {
    try {
      Set<Digest> keep = new HashSet<>(state.get().referencedBlobs());
      if (waiting.isEmpty()) {
        // nothing waits: a download an install or prefetch stopped waiting for is not wanted now
        fetcher.cancelDownloads();
      } else {
        keep.addAll(fetcher.downloading());
        keep.addAll(fetcher.parts(artifacts(waiting)));
      }
      store.gc(keep);
    } catch (IOException e) {
      LOG.warnf("cache garbage collection failed: %s", e.getMessage());
    }
  }

  /** The manifests and indexes of these releases, with their variants'. */
  private static Set<Digest> artifacts(List<Target> targets) {
    Set<Digest> artifacts = new HashSet<>();
    for (Target target : targets) {
      artifacts.add(target.assignment().manifestDigest());
      target.statement().predicate().variants().forEach(v -> artifacts.add(v.manifestDigest()));
    }
    return artifacts;
  }
}
