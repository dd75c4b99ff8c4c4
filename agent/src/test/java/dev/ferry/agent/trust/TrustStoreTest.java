package dev.ferry.agent.trust;

import static dev.ferry.protocol.testing.TestHub.CODEC;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.agent.store.AcceptedState;
import dev.ferry.protocol.signing.Ed25519;
import dev.ferry.protocol.signing.Envelope;
import dev.ferry.protocol.signing.PayloadTypes;
import dev.ferry.protocol.signing.Signer;
import dev.ferry.protocol.signing.TrustRoot;
import dev.ferry.protocol.signing.UntrustedSignatureException;
import dev.ferry.protocol.testing.TestHub;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrustStoreTest {
  private final TestHub keys = new TestHub();
  @TempDir Path dir;

  @Test
  void load_trustsTheProvisionedSelfSignedRoot() throws IOException {
    Path file = Files.write(dir.resolve("root.json"), keys.signedRoot());
    assertEquals(keys.trustRoot(), load(file).root());
  }

  @Test
  void load_requiresTheProperty() {
    var error =
        assertThrows(
            InvalidTrustRootException.class, () -> TrustStore.load(Optional.empty(), dir, CODEC));
    assertEquals(
        "ferry.agent.trust-root is not set; set it to the hub's trust root, saved from GET"
            + " /api/v1/trust/root",
        error.getMessage());
  }

  @Test
  void load_namesAMissingFile() {
    Path file = dir.resolve("absent.json");
    assertEquals(
        "ferry.agent.trust-root: "
            + file
            + " does not exist; save the hub's GET"
            + " /api/v1/trust/root there",
        loadError(file));
  }

  @Test
  void load_rejectsAFileThatIsNotAnEnvelope() throws IOException {
    Path file = Files.writeString(dir.resolve("root.json"), "{\"version\":1}");
    assertEquals(
        "ferry.agent.trust-root: "
            + file
            + " is not a signed trust root: Envelope: payloadType"
            + " is missing",
        loadError(file));
  }

  @Test
  void load_rejectsAnotherPayloadType() throws IOException {
    byte[] envelope =
        CODEC.encode(keys.root.sign(PayloadTypes.DESIRED, CODEC.encode(keys.trustRoot())));
    Path file = Files.write(dir.resolve("root.json"), envelope);
    assertEquals(
        "ferry.agent.trust-root: "
            + file
            + " is not a signed trust root: payloadType must be"
            + " 'application/vnd.ferry.root+json', got 'application/vnd.ferry.desired+json'",
        loadError(file));
  }

  @Test
  void load_rejectsARootNotSignedByItsOwnRootRole() throws IOException {
    byte[] envelope =
        CODEC.encode(keys.hub.sign(PayloadTypes.ROOT, CODEC.encode(keys.trustRoot())));
    Path file = Files.write(dir.resolve("root.json"), envelope);
    assertEquals(
        "ferry.agent.trust-root: "
            + file
            + " is not a signed trust root: root envelope: 0 of 1"
            + " required signatures verified (unknown key ids ["
            + keys.hub.keyId().substring(0, 12)
            + "], bad signatures from [])",
        loadError(file));
  }

  @Test
  void rotate_persistsTheNextRootSoItWinsAfterRestart() throws IOException {
    Path file = Files.write(dir.resolve("root.json"), keys.signedRoot());
    KeyPair newRootKey = Ed25519.generate();
    TrustRoot next = keys.trustRoot(2, newRootKey, keys.hubKey);

    assertEquals(next, load(file).rotate(signedByBoth(next, newRootKey)));

    assertEquals(next, load(file).root());
    assertTrue(Files.exists(dir.resolve("data/trust/root-2.json")));
    assertEquals(List.of(), leftovers());
  }

  @Test
  void rotate_takesEffectForTheNextDesiredState() throws IOException {
    Path file = Files.write(dir.resolve("root.json"), keys.signedRoot());
    TrustStore store = load(file);
    var verifier = new DesiredStateVerifier(store::root, CODEC);
    KeyPair newHubKey = Ed25519.generate();
    TrustRoot next = keys.trustRoot(2, keys.rootKey, newHubKey);
    byte[] byNewHub =
        CODEC.encode(
            new Signer(newHubKey)
                .sign(PayloadTypes.DESIRED, CODEC.encode(TestHub.desiredState("edge-1", 1))));

    store.rotate(keys.root.sign(PayloadTypes.ROOT, CODEC.encode(next)));

    assertEquals(
        1,
        verifier
            .verify(byNewHub, "edge-1", AcceptedState.initial(), TestHub.NOW)
            .state()
            .sequence());
    var error =
        assertThrows(
            RejectedDesiredStateException.class,
            () ->
                verifier.verify(
                    keys.desired(TestHub.desiredState("edge-1", 1)),
                    "edge-1",
                    AcceptedState.initial(),
                    TestHub.NOW));
    assertEquals(dev.ferry.agent.failure.Reason.UNTRUSTED_SIGNATURE, error.reason());
  }

  @Test
  void rotate_rejectsARootSignedOnlyByTheNewKeyAndKeepsTheOld() throws IOException {
    Path file = Files.write(dir.resolve("root.json"), keys.signedRoot());
    KeyPair newRootKey = Ed25519.generate();
    Envelope onlyNew =
        new Signer(newRootKey)
            .sign(PayloadTypes.ROOT, CODEC.encode(keys.trustRoot(2, newRootKey, keys.hubKey)));
    TrustStore store = load(file);

    assertThrows(UntrustedSignatureException.class, () -> store.rotate(onlyNew));

    assertEquals(keys.trustRoot(), store.root());
    assertEquals(keys.trustRoot(), load(file).root());
  }

  @Test
  void load_rejectsAPersistedRootThatDoesNotFollow() throws IOException {
    Path file = Files.write(dir.resolve("root.json"), keys.signedRoot());
    KeyPair newRootKey = Ed25519.generate();
    Path forged = Files.createDirectories(dir.resolve("data/trust")).resolve("root-2.json");
    Files.write(
        forged,
        CODEC.encode(
            new Signer(newRootKey)
                .sign(
                    PayloadTypes.ROOT, CODEC.encode(keys.trustRoot(2, newRootKey, keys.hubKey)))));
    var error = assertThrows(InvalidTrustRootException.class, () -> load(file));
    assertEquals(
        forged
            + " does not follow trust root version 1: the next root must be signed by a"
            + " threshold of root version 1's root keys: root envelope: 0 of 1 required signatures"
            + " verified (unknown key ids ["
            + new Signer(newRootKey).keyId().substring(0, 12)
            + "], bad signatures from [])",
        error.getMessage());
  }

  private Envelope signedByBoth(TrustRoot next, KeyPair newRootKey) {
    return Signer.signAll(
        PayloadTypes.ROOT, CODEC.encode(next), List.of(keys.root, new Signer(newRootKey)));
  }

  private List<Path> leftovers() throws IOException {
    try (var files = Files.list(dir.resolve("data/trust"))) {
      return files.filter(p -> p.toString().endsWith(".tmp")).toList();
    }
  }

  private TrustStore load(Path file) {
    return TrustStore.load(Optional.of(file), dir.resolve("data"), CODEC);
  }

  private String loadError(Path file) {
    return assertThrows(InvalidTrustRootException.class, () -> load(file)).getMessage();
  }
}
