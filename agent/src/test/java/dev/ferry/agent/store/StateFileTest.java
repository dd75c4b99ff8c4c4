package dev.ferry.agent.store;

import static dev.ferry.agent.store.ContentStoreTest.cache;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.agent.failure.Failure;
import dev.ferry.agent.failure.Reason;
import dev.ferry.agent.trust.DesiredStateVerifier;
import dev.ferry.agent.trust.RejectedDesiredStateException;
import dev.ferry.agent.trust.VerifiedDesired;
import dev.ferry.protocol.oci.Digest;
import dev.ferry.protocol.testing.TestHub;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StateFileTest {
  private static final String DEVICE = "edge-1";

  private final TestHub keys = new TestHub();
  @TempDir Path dir;

  @Test
  void load_isEmptyWithoutAFile() throws IOException {
    assertEquals(AgentState.empty(), new StateFile(dir).load());
  }

  @Test
  void save_roundTripsTheState() throws IOException {
    AgentState state =
        AgentState.empty()
            .withAccepted(new AcceptedState(4, TestHub.digest("four"), Map.of()))
            .activate(version("resnet", 1, "a"))
            .activate(version("resnet", 2, "b"));
    new StateFile(dir).save(state);
    assertEquals(state, new StateFile(dir).load());
    assertEquals(2, state.accepted().installedReleaseSeq("resnet"));
  }

  @Test
  void load_readsFailedVersionsAsEarlierAgentsWroteThem() throws IOException {
    Digest rolledBack = TestHub.digest("rolled-back");
    Digest golden = TestHub.digest("golden-mismatch");
    String failed =
        "{\"schema\":\"ferry.agent-state/v1\",\"failed\":{"
            + "\"a\":{\"manifestDigest\":\""
            + rolledBack
            + "\",\"version\":\"2.0.0\",\"reason\":\"ROLLED_BACK: error rate 0.5 over 20\"},"
            + "\"b\":{\"manifestDigest\":\""
            + golden
            + "\",\"version\":\"1.2.0\",\"reason\":\"golden case 0 output 'y' differs\"}}}";
    Files.writeString(dir.resolve("state.json"), failed);

    AgentState state = new StateFile(dir).load();

    assertEquals(
        new FailedVersion(
            rolledBack, "2.0.0", new Failure(Reason.ROLLED_BACK, "error rate 0.5 over 20")),
        state.failed().get("a"));
    assertEquals(
        new FailedVersion(
            golden,
            "1.2.0",
            new Failure(Reason.VERSION_REJECTED, "golden case 0 output 'y' differs")),
        state.failed().get("b"));
    new StateFile(dir).save(state);
    String saved = Files.readString(dir.resolve("state.json"));
    assertTrue(saved.contains("\"reason\":\"ROLLED_BACK: error rate 0.5 over 20\""), saved);
    assertTrue(saved.contains("\"reason\":\"golden case 0 output 'y' differs\""), saved);
  }

  @Test
  void watch_seesEachSavedStateOnceOnDiskAndAFailingWatcherDoesNotFailTheSave() throws IOException {
    StateFile file = new StateFile(dir);
    List<AgentState> seen = new ArrayList<>();
    file.watch(
        state -> {
          throw new IllegalStateException("a broken watcher");
        });
    file.watch(
        state -> {
          try {
            seen.add(new StateFile(dir).load()); // what is on disk when the watcher is called
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        });
    AgentState one = AgentState.empty().activate(version("resnet", 1, "a"));
    AgentState two = one.activate(version("resnet", 2, "b"));
    file.save(one);
    file.save(two);
    assertEquals(List.of(one, two), seen);
  }

  @Test
  void load_ignoresATempFileLeftByACrashDuringSave() throws IOException {
    StateFile file = new StateFile(dir);
    AgentState saved = AgentState.empty().activate(version("resnet", 1, "a"));
    file.save(saved);
    byte[] before = Files.readAllBytes(file.path());
    Path temp = dir.resolve("state.json.tmp");
    Files.writeString(temp, "{\"schema\":\"ferry.agent-state/v1\",\"acc");

    assertEquals(saved, new StateFile(dir).load());
    assertArrayEquals(before, Files.readAllBytes(file.path()));
    assertFalse(Files.exists(temp));
  }

  @Test
  void load_refusesACorruptFileAndKeepsACopy() throws IOException {
    Path file = Files.writeString(dir.resolve("state.json"), "{\"schema\":");
    var error = assertThrows(CorruptStateException.class, () -> new StateFile(dir).load());
    Path copy = dir.resolve("state.json.corrupt");
    assertEquals(
        file
            + " is corrupt (ferry.agent-state/v1: malformed JSON at line 1, column 11: Unexpected"
            + " end-of-input: expected close marker for Object); a copy is kept as "
            + copy
            + ". The agent does not start without its accepted sequences. To recover, restore"
            + " state.json from a backup, or delete it to start empty: the agent then accepts any"
            + " signed desired state that has not expired and fetches its models again",
        error.getMessage());
    assertEquals("{\"schema\":", Files.readString(copy, StandardCharsets.UTF_8));
    assertTrue(Files.exists(file));
  }

  @Test
  void replay_isRefusedAfterARestart() throws IOException {
    DesiredStateVerifier verifier = new DesiredStateVerifier(() -> keys.trustRoot(), TestHub.CODEC);
    byte[] nine = keys.desired(TestHub.desiredState(DEVICE, 9, keys.assign("resnet", 2)));
    byte[] seven = keys.desired(TestHub.desiredState(DEVICE, 7, keys.assign("resnet", 2)));
    AgentState before = new StateFile(dir).load();
    VerifiedDesired verified = verifier.verify(nine, DEVICE, before.accepted(), TestHub.NOW);
    new StateFile(dir).save(before.withAccepted(verified.acceptedFrom(before.accepted())));

    AcceptedState restarted = new StateFile(dir).load().accepted();

    assertEquals(
        "desired sequence 7 is not above the accepted 9 (replay)",
        reject(verifier, seven, restarted, Reason.REPLAYED_SEQUENCE));
    assertEquals(
        "desired sequence 9 is the accepted one, delivered again",
        reject(verifier, nine, restarted, Reason.DUPLICATE));
  }

  @Test
  void gc_keepsTheActiveAndFallbackVersionsBlobs() throws IOException {
    ContentStore store = new ContentStore(dir);
    InstalledVersion v1 = cached(store, "resnet", 1);
    InstalledVersion v2 = cached(store, "resnet", 2);
    InstalledVersion v3 = cached(store, "resnet", 3);
    AgentState state = AgentState.empty().activate(v1).activate(v2).activate(v3);

    Collected collected = store.gc(state.referencedBlobs());

    assertEquals(new InstalledModel(v3, v2), state.models().get("resnet"));
    assertEquals(3, collected.blobs());
    for (Digest digest : Set.copyOf(v2.blobs())) {
      assertTrue(store.blob(digest).isPresent(), digest.toString());
    }
    for (Digest digest : v3.blobs()) {
      assertTrue(store.blob(digest).isPresent(), digest.toString());
    }
    for (Digest digest : v1.blobs()) {
      assertFalse(store.blob(digest).isPresent(), digest.toString());
    }
  }

  private String reject(
      DesiredStateVerifier verifier, byte[] payload, AcceptedState accepted, Reason reason) {
    var error =
        assertThrows(
            RejectedDesiredStateException.class,
            () -> verifier.verify(payload, DEVICE, accepted, TestHub.NOW));
    assertEquals(reason, error.reason());
    return error.getMessage();
  }

  private InstalledVersion cached(ContentStore store, String model, long releaseSeq)
      throws IOException {
    String v = model + "-" + releaseSeq;
    Digest manifest = cache(store, v + "-manifest");
    Map<String, Digest> files =
        Map.of(
            "model.onnx", cache(store, v + "-model"), "serving.json", cache(store, v + "-serving"));
    return new InstalledVersion(
        model,
        "1.0." + releaseSeq,
        manifest,
        releaseSeq,
        files,
        keys.signedRelease(model, manifest, releaseSeq));
  }

  private InstalledVersion version(String model, long releaseSeq, String seed) {
    Digest manifest = TestHub.digest(seed);
    return new InstalledVersion(
        model,
        "1.0." + releaseSeq,
        manifest,
        releaseSeq,
        Map.of("model.onnx", TestHub.digest(seed + "m"), "golden.json", TestHub.digest(seed + "g")),
        keys.signedRelease(model, manifest, releaseSeq));
  }
}
