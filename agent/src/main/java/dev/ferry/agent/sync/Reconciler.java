package dev.ferry.agent.sync;

import dev.ferry.agent.failure.Failure;
import dev.ferry.agent.failure.Reason;
import dev.ferry.agent.store.AgentState;
import dev.ferry.agent.store.FailedVersion;
import dev.ferry.agent.store.InstalledModel;
import dev.ferry.agent.store.InstalledVersion;
import dev.ferry.agent.store.Target;
import dev.ferry.protocol.oci.Digest;
import dev.ferry.protocol.release.Revocations;
import java.util.Optional;

/**
 * Decides what to do about each assigned model from the durable state and what serves: pure, state
 * in and a {@link Verdict} out, so the rules are read and tested in one place.
 */
final class Reconciler {
  private Reconciler() {}

  /**
   * Decides what to do about one assigned model before anything is tried.
   *
   * @param target the assigned model and its verified statement
   * @param state the durable state
   * @param serving the version of the model that serves now, if any
   * @return skip (it serves, or failed for good already), install, repair (recorded but not
   *     serving), or fail for good (another artifact whose releaseSeq is not above the installed)
   */
  static Verdict plan(Target target, AgentState state, Optional<String> serving) {
    if (failedForGood(target, state.failed().get(target.name()))) {
      return Verdict.SKIP;
    }
    InstalledModel installed = state.models().get(target.name());
    if (installed == null) {
      return Verdict.INSTALL;
    }
    InstalledVersion active = installed.active();
    if (active.manifestDigest().equals(target.assignment().manifestDigest())) {
      return serving.filter(active.version()::equals).isPresent() ? Verdict.SKIP : Verdict.REPAIR;
    }
    return notAbove(target, active).map(Verdict::failForGood).orElse(Verdict.INSTALL);
  }

  /**
   * Whether a prefetched release is still to be fetched: it is not installed (active or fallback),
   * not in the cache as prefetched already, not what the state assigns (its install fetches it),
   * not failed for good, and above the installed releaseSeq (a release the model cannot install is
   * not worth the download).
   *
   * @param target the prefetched release and its verified statement
   * @param state the durable state
   * @return whether to fetch it now
   */
  static boolean prefetches(Target target, AgentState state) {
    Digest digest = target.assignment().manifestDigest();
    String name = target.name();
    boolean assigned =
        state.targets().stream()
            .anyMatch(t -> t.name().equals(name) && t.assignment().manifestDigest().equals(digest));
    InstalledModel installed = state.models().get(name);
    boolean installedAlready =
        installed != null
            && (installed.active().manifestDigest().equals(digest)
                || (installed.fallback() != null
                    && installed.fallback().manifestDigest().equals(digest)));
    boolean notAbove =
        installed != null
            && target.statement().predicate().releaseSeq() <= installed.active().releaseSeq();
    return !assigned
        && !installedAlready
        && !notAbove
        && !state.isPrefetched(name, digest)
        && !failedForGood(target, state.failed().get(name));
  }

  /**
   * Whether an assigned version is revoked and not refused yet.
   *
   * @param target the assigned model and its verified statement
   * @param state the durable state
   * @param list the revocation list held, if any
   * @return the failure to record and report; empty when it is not revoked or refused already
   */
  static Optional<Failure> refusal(Target target, AgentState state, Optional<Revocations> list) {
    if (failedForGood(target, state.failed().get(target.name()))) {
      return Optional.empty();
    }
    return list.flatMap(l -> l.find(target.name(), target.assignment().manifestDigest()))
        .map(Withdrawals::failure);
  }

  /**
   * Decides what follows a failed install.
   *
   * @param failure why it failed
   * @return retry when trying later can help, else fail for good
   */
  static Verdict afterFailure(Failure failure) {
    return failure.reason().retryable() ? Verdict.retry(failure) : Verdict.failForGood(failure);
  }

  private static boolean failedForGood(Target target, FailedVersion failed) {
    return failed != null && failed.manifestDigest().equals(target.assignment().manifestDigest());
  }

  /** Another artifact must come with a higher releaseSeq than the installed one. */
  private static Optional<Failure> notAbove(Target target, InstalledVersion active) {
    long releaseSeq = target.statement().predicate().releaseSeq();
    if (releaseSeq > active.releaseSeq()) {
      return Optional.empty();
    }
    return Optional.of(
        new Failure(
            Reason.RELEASE_ROLLBACK,
            "releaseSeq "
                + releaseSeq
                + " of another artifact is not above the installed "
                + active.releaseSeq()));
  }
}
