package dev.ferry.agent.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.ferry.agent.failure.Failure;
import dev.ferry.agent.failure.Reason;
import dev.ferry.agent.store.AgentState;
import dev.ferry.agent.store.FailedVersion;
import dev.ferry.agent.store.InstalledVersion;
import dev.ferry.agent.store.Target;
import dev.ferry.protocol.device.ModelAssignment;
import dev.ferry.protocol.testing.TestHub;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The reconciler's rules, from plain state: no registry, ONNX Runtime, Quarkus or files. */
class ReconcilerTest {
  private static final String MODEL = "resnet";

  private final TestHub keys = new TestHub();

  private Target target(long releaseSeq) {
    ModelAssignment assignment = keys.assign(MODEL, releaseSeq);
    return new Target(
        assignment, TestHub.statement(MODEL, assignment.manifestDigest(), releaseSeq));
  }

  private InstalledVersion installed(long releaseSeq) {
    Target target = target(releaseSeq);
    return new InstalledVersion(
        MODEL,
        "1.0." + releaseSeq,
        target.assignment().manifestDigest(),
        releaseSeq,
        Map.of("model.onnx", TestHub.digest("model" + releaseSeq)),
        target.assignment().release());
  }

  private static AgentState assigned(AgentState state, Target target) {
    return state.accept(state.accepted(), List.of(target), List.of());
  }

  private static AgentState prefetching(AgentState state, List<Target> assigned, Target prefetch) {
    return state.accept(state.accepted(), assigned, List.of(prefetch));
  }

  @Test
  void prefetches_aReleaseAboveTheInstalledOneThatIsNotInTheCacheYet() {
    Target next = target(2);
    AgentState state = prefetching(AgentState.empty().activate(installed(1)), List.of(), next);
    assertEquals(true, Reconciler.prefetches(next, state));
    assertEquals(
        true, Reconciler.prefetches(next, prefetching(AgentState.empty(), List.of(), next)));
  }

  @Test
  void prefetches_nothingInstalledPrefetchedAssignedFailedOrNotAbove() {
    Target next = target(2);
    AgentState installed = AgentState.empty().activate(installed(1));
    assertEquals(
        false,
        Reconciler.prefetches(
            next, prefetching(installed.prefetched(installed(2)), List.of(), next)),
        "in the cache already");
    assertEquals(
        false,
        Reconciler.prefetches(next, prefetching(installed, List.of(next), next)),
        "assigned: its install fetches it");
    assertEquals(
        false,
        Reconciler.prefetches(next, prefetching(installed.activate(installed(2)), List.of(), next)),
        "active");
    assertEquals(
        false,
        Reconciler.prefetches(
            next,
            prefetching(installed.activate(installed(2)).activate(installed(3)), List.of(), next)),
        "the fallback, and not above the active one");
    Failure golden = new Failure(Reason.VERSION_REJECTED, "golden case 0 output 'y' differs");
    AgentState failed =
        installed.fail(
            MODEL, new FailedVersion(next.assignment().manifestDigest(), "1.0.2", golden));
    assertEquals(
        false, Reconciler.prefetches(next, prefetching(failed, List.of(), next)), "failed");
    Target older = target(1);
    assertEquals(
        false,
        Reconciler.prefetches(
            older, prefetching(AgentState.empty().activate(installed(3)), List.of(), older)),
        "below the installed releaseSeq");
  }

  @Test
  void
      acceptingAState_keepsPrefetchedReleasesItStillPrefetchesOrAssigns_andActivatingOneUsesItUp() {
    Target next = target(2);
    AgentState state =
        prefetching(AgentState.empty().activate(installed(1)), List.of(), next)
            .prefetched(installed(2));
    assertEquals(true, state.referencedBlobs().contains(next.assignment().manifestDigest()));

    AgentState assigned = state.accept(state.accepted(), List.of(next), List.of());
    assertEquals(Map.of(MODEL, installed(2)), assigned.prefetched(), "its wave came");
    assertEquals(Map.of(), assigned.activate(installed(2)).prefetched(), "installed now");

    AgentState dropped = state.accept(state.accepted(), List.of(), List.of());
    assertEquals(Map.of(), dropped.prefetched(), "no longer asked for");
    assertEquals(false, dropped.referencedBlobs().contains(next.assignment().manifestDigest()));
  }

  @Test
  void plan_installsAModelThatIsNotInstalled() {
    Target target = target(1);
    assertEquals(
        Verdict.INSTALL,
        Reconciler.plan(target, assigned(AgentState.empty(), target), Optional.empty()));
  }

  @Test
  void plan_skipsTheVersionThatServes() {
    Target target = target(1);
    AgentState state = assigned(AgentState.empty().activate(installed(1)), target);
    assertEquals(Verdict.SKIP, Reconciler.plan(target, state, Optional.of("1.0.1")));
  }

  @Test
  void plan_repairsTheRecordedVersionWhenItDoesNotServe() {
    Target target = target(2);
    AgentState state =
        assigned(AgentState.empty().activate(installed(1)).activate(installed(2)), target);
    assertEquals(Verdict.REPAIR, Reconciler.plan(target, state, Optional.empty()));
    assertEquals(Verdict.REPAIR, Reconciler.plan(target, state, Optional.of("1.0.1")));
  }

  @Test
  void plan_skipsAnArtifactThatFailedForGood() {
    Target target = target(2);
    Failure golden = new Failure(Reason.VERSION_REJECTED, "golden case 0 output 'y' differs");
    AgentState state =
        assigned(
            AgentState.empty()
                .activate(installed(1))
                .fail(
                    MODEL,
                    new FailedVersion(target.assignment().manifestDigest(), "1.0.2", golden)),
            target);
    assertEquals(Verdict.SKIP, Reconciler.plan(target, state, Optional.of("1.0.1")));
  }

  @Test
  void plan_skipsAVersionProbationRolledBack() {
    Target target = target(2);
    AgentState state =
        assigned(
            AgentState.empty()
                .activate(installed(1))
                .activate(installed(2))
                .rollBack(MODEL, new Failure(Reason.ROLLED_BACK, "error rate 0.5 over 20")),
            target);
    assertEquals(Verdict.SKIP, Reconciler.plan(target, state, Optional.of("1.0.1")));
  }

  @Test
  void plan_installsAnotherArtifactThanTheOneThatFailed() {
    Target failed = target(2);
    Target next = target(3);
    AgentState state =
        assigned(
            AgentState.empty()
                .activate(installed(1))
                .fail(
                    MODEL,
                    new FailedVersion(
                        failed.assignment().manifestDigest(),
                        "1.0.2",
                        new Failure(Reason.BLOB_MISMATCH, "blob"))),
            next);
    assertEquals(Verdict.INSTALL, Reconciler.plan(next, state, Optional.of("1.0.1")));
  }

  @Test
  void plan_installsAnotherArtifactWithAHigherReleaseSeq() {
    Target target = target(3);
    AgentState state = assigned(AgentState.empty().activate(installed(2)), target);
    assertEquals(Verdict.INSTALL, Reconciler.plan(target, state, Optional.of("1.0.2")));
  }

  @Test
  void plan_refusesAnotherArtifactWhoseReleaseSeqIsNotAboveTheInstalled() {
    AgentState state = AgentState.empty().activate(installed(2));
    for (long releaseSeq : new long[] {1, 2}) {
      ModelAssignment other = keys.assign(MODEL + "-other", releaseSeq);
      Target target =
          new Target(
              new ModelAssignment(
                  MODEL, other.repository(), other.manifestDigest(), other.release()),
              TestHub.statement(MODEL, other.manifestDigest(), releaseSeq));
      assertEquals(
          Verdict.failForGood(
              new Failure(
                  Reason.RELEASE_ROLLBACK,
                  "releaseSeq "
                      + releaseSeq
                      + " of another artifact is not above the installed 2")),
          Reconciler.plan(target, assigned(state, target), Optional.of("1.0.2")));
    }
  }

  @Test
  void afterFailure_retriesWhatTryingLaterCanHelp() {
    for (Reason reason :
        List.of(
            Reason.UNAVAILABLE,
            Reason.STALLED,
            Reason.CACHE,
            Reason.INTERRUPTED,
            Reason.INTERNAL_ERROR)) {
      Failure failure = new Failure(reason, "detail");
      assertEquals(Verdict.retry(failure), Reconciler.afterFailure(failure));
    }
  }

  @Test
  void afterFailure_failsForGoodWhatIsWrongWithTheVersion() {
    for (Reason reason :
        List.of(
            Reason.MANIFEST_MISMATCH,
            Reason.BLOB_MISMATCH,
            Reason.BLOB_TOO_LARGE,
            Reason.INVALID_ARTIFACT,
            Reason.UNSIGNED_LAYER,
            Reason.INVALID_MODEL_FILE,
            Reason.VERSION_REJECTED)) {
      Failure failure = new Failure(reason, "detail");
      assertEquals(Verdict.failForGood(failure), Reconciler.afterFailure(failure));
    }
  }

  @Test
  void verdict_takesAFailureExactlyWhenItRetriesOrFailsForGood() {
    assertEquals(
        "verdict RETRY needs a failure",
        assertThrows(IllegalArgumentException.class, () -> Verdict.retry(null)).getMessage());
    assertEquals(
        "verdict SKIP takes no failure",
        assertThrows(
                IllegalArgumentException.class,
                () -> new Verdict(Verdict.Action.SKIP, new Failure(Reason.CACHE, "x")))
            .getMessage());
  }
}
