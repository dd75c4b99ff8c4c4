package dev.ferry.protocol.signing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.ferry.protocol.Samples;
import dev.ferry.protocol.json.FieldException;
import dev.ferry.protocol.json.JsonCodec;
import java.security.KeyPair;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TrustRootTest {
  private final JsonCodec codec = new JsonCodec();
  private final TrustRoot root = Samples.trustRoot();

  @Test
  void verifier_separatesRoles() {
    Envelope release = Samples.releaseEnvelope();
    byte[] payload = root.verifier(Role.RELEASE).verify(release, PayloadTypes.IN_TOTO);
    assertArrayEquals(release.payloadBytes(), payload);
    var error =
        assertThrows(
            UntrustedSignatureException.class,
            () -> root.verifier(Role.HUB).verify(release, PayloadTypes.IN_TOTO));
    assertEquals(
        true,
        error.getMessage().startsWith("hub envelope: 0 of 1 required signatures verified"),
        error.getMessage());
  }

  @Test
  void verifyNext_acceptsTheNextVersionSignedByOldAndNewRootKeys() {
    KeyPair newRoot = Ed25519.generate();
    TrustRoot next = withRootKey(2, newRoot);
    Envelope envelope =
        Signer.signAll(
            PayloadTypes.ROOT,
            codec.encode(next),
            List.of(new Signer(Samples.ROOT_KEY), new Signer(newRoot)));
    assertEquals(next, root.verifyNext(envelope, codec));
  }

  @Test
  void verifyNext_rejectsARootSignedOnlyByItsOwnKeys() {
    KeyPair newRoot = Ed25519.generate();
    Envelope envelope =
        new Signer(newRoot).sign(PayloadTypes.ROOT, codec.encode(withRootKey(2, newRoot)));
    assertThrows(UntrustedSignatureException.class, () -> root.verifyNext(envelope, codec));
  }

  @Test
  void verifyNext_rejectsASkippedVersion() {
    KeyPair newRoot = Ed25519.generate();
    Envelope envelope =
        Signer.signAll(
            PayloadTypes.ROOT,
            codec.encode(withRootKey(3, newRoot)),
            List.of(new Signer(Samples.ROOT_KEY), new Signer(newRoot)));
    assertEquals(
        "root version must be 2, got 3",
        assertThrows(UntrustedSignatureException.class, () -> root.verifyNext(envelope, codec))
            .getMessage());
  }

  @Test
  void trustRoot_rejectsAKeyIdThatIsNotItsKeys() {
    Map<String, TrustedKey> keys = new HashMap<>(root.keys());
    TrustedKey hub = TrustedKey.of(Samples.HUB_KEY.getPublic());
    keys.put("0".repeat(64), hub);
    var error =
        assertThrows(FieldException.class, () -> new TrustRoot(1, null, keys, root.roles()));
    assertEquals(
        "keys." + "0".repeat(64) + " does not match its key, whose id is " + hub.id(),
        error.getMessage());
  }

  @Test
  void trustRoot_requiresEveryRole() {
    Map<String, RoleKeys> roles = new HashMap<>(root.roles());
    roles.remove("hub");
    assertEquals(
        "roles.hub is missing",
        assertThrows(FieldException.class, () -> new TrustRoot(1, null, root.keys(), roles))
            .getMessage());
  }

  @Test
  void roleKeys_rejectsAThresholdAboveTheKeyCount() {
    assertEquals(
        "threshold must be between 1 and 1, got 2",
        assertThrows(FieldException.class, () -> new RoleKeys(List.of("a"), 2)).getMessage());
  }

  @Test
  void roleKeys_rejectsAKeyListedTwice() {
    assertEquals(
        "keyids must not list a key twice, got [a, a]",
        assertThrows(FieldException.class, () -> new RoleKeys(List.of("a", "a"), 2)).getMessage());
  }

  private TrustRoot withRootKey(int version, KeyPair newRoot) {
    Map<String, TrustedKey> keys = new HashMap<>(root.keys());
    TrustedKey added = TrustedKey.of(newRoot.getPublic());
    keys.put(added.id(), added);
    Map<String, RoleKeys> roles = new HashMap<>(root.roles());
    roles.put("root", new RoleKeys(List.of(added.id()), 1));
    return new TrustRoot(version, null, keys, roles);
  }
}
