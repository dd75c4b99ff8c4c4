package dev.ferry.agent.trust;

import static dev.ferry.protocol.testing.TestHub.CODEC;
import static dev.ferry.protocol.testing.TestHub.NOW;
import static dev.ferry.protocol.testing.TestHub.desiredState;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.agent.failure.Reason;
import dev.ferry.agent.store.AcceptedState;
import dev.ferry.protocol.device.ModelAssignment;
import dev.ferry.protocol.signing.Ed25519;
import dev.ferry.protocol.signing.Envelope;
import dev.ferry.protocol.signing.PayloadTypes;
import dev.ferry.protocol.signing.Role;
import dev.ferry.protocol.signing.RootChain;
import dev.ferry.protocol.signing.Signer;
import dev.ferry.protocol.signing.TrustRoot;
import dev.ferry.protocol.testing.TestHub;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The agent walks the hub's chain of roots, and verifies everything against the newest. */
class RootFollowerTest {
  private static final String DEVICE = "edge-01";
  private final TestHub keys = new TestHub();
  private final KeyPair newHub = Ed25519.generate();
  private final KeyPair newRelease = Ed25519.generate();
  private final TrustRoot v1 = keys.trustRoot();
  private final TrustRoot v2 =
      v1.withRole(Role.HUB, List.of(newHub.getPublic()), 1)
          .withRole(Role.RELEASE, List.of(newRelease.getPublic()), 1)
          .next(NOW.plusSeconds(86_400));
  @TempDir Path dir;
  private TrustStore store;

  @BeforeEach
  void provision() throws IOException {
    store = load();
  }

  @Test
  void follow_persistsEachStep_andTheNewestWinsAfterARestart() {
    TrustRoot v3 = v2.next(NOW.plusSeconds(86_400));
    RootUpdate update = follower(32).follow(chain(v1, v2, v3), NOW);

    assertEquals(3, update.after().version());
    assertTrue(update.changed());
    assertTrue(update.hubKeysChanged());
    assertTrue(Files.exists(dir.resolve("trust/root-2.json")));
    assertTrue(Files.exists(dir.resolve("trust/root-3.json")));
    assertEquals(v3, load().root());
  }

  @Test
  void follow_ignoresAReplayedChain() {
    follower(32).follow(chain(v1, v2), NOW);
    RootUpdate again = follower(32).follow(chain(v1), NOW);
    assertFalse(again.changed());
    assertEquals(2, store.root().version());
  }

  @Test
  void follow_refusesAChainLongerThanTheCap_andKeepsTheRoot() {
    TrustRoot v3 = v2.next(null);
    var error =
        assertThrows(
            RefusedRootChainException.class, () -> follower(1).follow(chain(v1, v2, v3), NOW));
    assertEquals(
        "trust root chain refused at version 1: root chain: 2 rotations from version 1 exceed the"
            + " limit of 1",
        error.getMessage());
    assertEquals(v1, store.root());
    assertFalse(Files.exists(dir.resolve("trust/root-2.json")));
  }

  @Test
  void follow_refusesAnExpiredRoot() {
    TrustRoot expired = v1.next(NOW.minusSeconds(1));
    var error =
        assertThrows(
            RefusedRootChainException.class, () -> follower(32).follow(chain(v1, expired), NOW));
    assertEquals(
        "trust root chain refused at version 1: trust root version 2 expired at"
            + " 2026-03-01T11:59:59Z",
        error.getMessage());
    assertEquals(v1, store.root());
  }

  @Test
  void follow_refusesWhatIsNotAChain() {
    var error =
        assertThrows(
            RefusedRootChainException.class,
            () -> follower(32).follow("{}".getBytes(StandardCharsets.UTF_8), NOW));
    assertTrue(
        error.getMessage().startsWith("trust root chain refused at version 1: "),
        error.getMessage());
  }

  @Test
  void verify_refusesADesiredStateFromTheRotatedOutHubKey_andTakesTheNewOne() {
    DesiredStateVerifier verifier = new DesiredStateVerifier(store::root, CODEC);
    follower(32).follow(chain(v1, v2), NOW);
    ModelAssignment model = assign(new Signer(newRelease));

    var error =
        assertThrows(
            RejectedDesiredStateException.class,
            () ->
                verifier.verify(
                    keys.desired(desiredState(DEVICE, 5, model)), DEVICE, accepted(), NOW));
    assertEquals(Reason.UNTRUSTED_SIGNATURE, error.reason());
    byte[] fromNewKey = signed(new Signer(newHub), 5, model);
    assertEquals(5, verifier.verify(fromNewKey, DEVICE, accepted(), NOW).state().sequence());
  }

  @Test
  void verify_refusesAReleaseStatementFromTheRotatedOutReleaseKey() {
    DesiredStateVerifier verifier = new DesiredStateVerifier(store::root, CODEC);
    follower(32).follow(chain(v1, v2), NOW);
    byte[] payload = signed(new Signer(newHub), 5, assign(keys.release));

    var error =
        assertThrows(
            RejectedDesiredStateException.class,
            () -> verifier.verify(payload, DEVICE, accepted(), NOW));
    assertEquals(Reason.UNTRUSTED_RELEASE, error.reason());
  }

  @Test
  void verify_refusesEveryDesiredStateOnceTheHeldRootExpired() {
    DesiredStateVerifier verifier = new DesiredStateVerifier(store::root, CODEC);
    follower(32).follow(chain(v1, v2), NOW);
    byte[] payload = signed(new Signer(newHub), 5, assign(new Signer(newRelease)));

    var error =
        assertThrows(
            RejectedDesiredStateException.class,
            () -> verifier.verify(payload, DEVICE, accepted(), NOW.plusSeconds(86_400)));
    assertEquals(Reason.ROOT_EXPIRED, error.reason());
    assertEquals(
        "trust root version 2 expired at 2026-03-02T12:00:00Z; desired states are refused until"
            + " the hub's chain brings a newer root",
        error.getMessage());
  }

  @Test
  void newHubKey_resetsTheDesiredSequenceButKeepsTheInstalledReleases() {
    AcceptedState blocked =
        AcceptedState.initial().installed("resnet", 3).accept(Long.MAX_VALUE, TestHub.digest("x"));
    AcceptedState reset = blocked.newHubKey();
    assertEquals(0, reset.sequence());
    assertEquals(3, reset.installedReleaseSeq("resnet"));
  }

  private static AcceptedState accepted() {
    return AcceptedState.initial().accept(1, TestHub.digest("first"));
  }

  private ModelAssignment assign(Signer releaseSigner) {
    ModelAssignment plain = keys.assign("resnet", 3);
    Envelope statement =
        releaseSigner.sign(
            PayloadTypes.IN_TOTO,
            CODEC.encode(TestHub.statement("resnet", plain.manifestDigest(), 3)));
    return new ModelAssignment(plain.name(), plain.repository(), plain.manifestDigest(), statement);
  }

  private static byte[] signed(Signer hub, long sequence, ModelAssignment model) {
    return CODEC.encode(
        hub.sign(PayloadTypes.DESIRED, CODEC.encode(desiredState(DEVICE, sequence, model))));
  }

  private RootFollower follower(int maxSteps) {
    return new RootFollower(store, CODEC, maxSteps);
  }

  private byte[] chain(TrustRoot... roots) {
    List<Envelope> signed =
        java.util.Arrays.stream(roots)
            .map(r -> keys.root.sign(PayloadTypes.ROOT, CODEC.encode(r)))
            .toList();
    return CODEC.encode(new RootChain(signed));
  }

  private TrustStore load() {
    try {
      Path file = dir.resolve("root.json");
      if (!Files.exists(file)) {
        Files.write(file, keys.signedRoot());
      }
      return TrustStore.load(Optional.of(file), dir, CODEC);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
