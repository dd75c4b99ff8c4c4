package dev.ferry.protocol.signing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.protocol.json.JsonCodec;
import java.security.KeyPair;
import java.security.PublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class RootChainTest {
  private static final Instant NOW = Instant.parse("2026-12-01T00:00:00Z");
  private static final Instant YEAR = NOW.plus(Duration.ofDays(365));
  private final JsonCodec codec = new JsonCodec();
  private final List<KeyPair> oldRootKeys = keys(3);
  private final KeyPair release = Ed25519.generate();
  private final KeyPair hub = Ed25519.generate();
  private final TrustRoot v1 =
      TrustRoot.initial(
          YEAR,
          Map.of(
              Role.ROOT, publicKeys(oldRootKeys),
              Role.RELEASE, List.of(release.getPublic()),
              Role.HUB, List.of(hub.getPublic())),
          2);

  @Test
  void stepsFrom_walksATwoOfThreeRootThroughARotationOfItsRootKeys() {
    List<KeyPair> newRootKeys = keys(3);
    TrustRoot v2 = v1.withRole(Role.ROOT, publicKeys(newRootKeys), 2).next(YEAR);
    Envelope signed =
        sign(v2, oldRootKeys.get(0), oldRootKeys.get(2), newRootKeys.get(1), newRootKeys.get(2));
    RootChain chain =
        new RootChain(List.of(sign(v1, oldRootKeys.get(0), oldRootKeys.get(1)), signed));

    assertEquals(List.of(signed), chain.stepsFrom(v1, NOW, 32, codec));
    assertEquals(v2, v1.verifyNext(signed, codec));
    assertEquals(3, v2.roles().get("root").keyids().size());
    assertEquals(5, v2.keys().size());
  }

  @Test
  void stepsFrom_refusesARootSignedOnlyByItsNewKeys() {
    List<KeyPair> newRootKeys = keys(3);
    TrustRoot v2 = v1.withRole(Role.ROOT, publicKeys(newRootKeys), 2).next(YEAR);
    RootChain chain = new RootChain(List.of(sign(v2, newRootKeys.get(0), newRootKeys.get(1))));

    var error =
        assertThrows(UntrustedSignatureException.class, () -> chain.stepsFrom(v1, NOW, 32, codec));
    assertTrue(
        error
            .getMessage()
            .startsWith(
                "the next root must be signed by a threshold of root version 1's root keys: root"
                    + " envelope: 0 of 2 required signatures verified (unknown key ids ["),
        error.getMessage());
  }

  @Test
  void stepsFrom_refusesARootSignedByFewerThanTheOldThreshold() {
    List<KeyPair> newRootKeys = keys(3);
    TrustRoot v2 = v1.withRole(Role.ROOT, publicKeys(newRootKeys), 2).next(YEAR);
    RootChain chain =
        new RootChain(
            List.of(sign(v2, oldRootKeys.get(1), newRootKeys.get(0), newRootKeys.get(1))));

    var error =
        assertThrows(UntrustedSignatureException.class, () -> chain.stepsFrom(v1, NOW, 32, codec));
    assertTrue(
        error
            .getMessage()
            .startsWith(
                "the next root must be signed by a threshold of root version 1's root keys: root"
                    + " envelope: 1 of 2 required signatures verified"),
        error.getMessage());
  }

  @Test
  void stepsFrom_refusesARootSignedByFewerThanItsOwnThreshold() {
    List<KeyPair> newRootKeys = keys(3);
    TrustRoot v2 = v1.withRole(Role.ROOT, publicKeys(newRootKeys), 2).next(YEAR);
    RootChain chain =
        new RootChain(
            List.of(sign(v2, oldRootKeys.get(0), oldRootKeys.get(1), newRootKeys.get(0))));

    var error =
        assertThrows(UntrustedSignatureException.class, () -> chain.stepsFrom(v1, NOW, 32, codec));
    assertTrue(
        error
            .getMessage()
            .startsWith(
                "the next root must be signed by a threshold of its own root keys: root envelope: 1"
                    + " of 2 required signatures verified"),
        error.getMessage());
  }

  @Test
  void stepsFrom_refusesARootThatIsNotTheNextVersion() {
    TrustRoot v3 = v1.next(YEAR).next(YEAR);
    RootChain chain = new RootChain(List.of(sign(v3, oldRootKeys.get(0), oldRootKeys.get(1))));

    assertEquals(
        "root version must be 2, got 3",
        assertThrows(UntrustedSignatureException.class, () -> chain.stepsFrom(v1, NOW, 32, codec))
            .getMessage());
  }

  @Test
  void stepsFrom_refusesAnExpiredNewestRoot() {
    TrustRoot v2 = v1.next(NOW.minusSeconds(1));
    RootChain chain = new RootChain(List.of(sign(v2, oldRootKeys.get(0), oldRootKeys.get(1))));

    var error = assertThrows(ExpiredRootException.class, () -> chain.stepsFrom(v1, NOW, 32, codec));
    assertEquals("trust root version 2 expired at 2026-11-30T23:59:59Z", error.getMessage());
    assertEquals(2, error.version());
  }

  @Test
  void stepsFrom_acceptsAnExpiredIntermediateRootWhenTheNewestIsValid() {
    TrustRoot v2 = v1.next(NOW.minusSeconds(1));
    TrustRoot v3 = v2.next(YEAR);
    Envelope second = sign(v2, oldRootKeys.get(0), oldRootKeys.get(1));
    Envelope third = sign(v3, oldRootKeys.get(1), oldRootKeys.get(2));

    assertEquals(
        List.of(second, third),
        new RootChain(List.of(second, third)).stepsFrom(v1, NOW, 32, codec));
  }

  @Test
  void stepsFrom_refusesAChainLongerThanTheLimitBeforeCheckingSignatures() {
    List<Envelope> roots = new ArrayList<>();
    TrustRoot root = v1;
    for (int i = 0; i < 5; i++) {
      root = root.next(YEAR);
      roots.add(sign(root, oldRootKeys.get(0)));
    }
    RootChain chain = new RootChain(roots);

    assertEquals(
        "root chain: 5 rotations from version 1 exceed the limit of 4",
        assertThrows(UntrustedSignatureException.class, () -> chain.stepsFrom(v1, NOW, 4, codec))
            .getMessage());
  }

  @Test
  void stepsFrom_skipsReplayedRootsTheDeviceAlreadyHolds() {
    TrustRoot v2 = v1.next(YEAR);
    Envelope first = sign(v1, oldRootKeys.get(0), oldRootKeys.get(1));
    Envelope second = sign(v2, oldRootKeys.get(0), oldRootKeys.get(1));

    assertEquals(List.of(), new RootChain(List.of(first, second)).stepsFrom(v2, NOW, 32, codec));
    assertEquals(List.of(), new RootChain(List.of(first)).stepsFrom(v2, NOW, 32, codec));
  }

  @Test
  void verifyNext_refusesAReplayedOldRoot() {
    TrustRoot v2 = v1.next(YEAR);
    Envelope first = sign(v1, oldRootKeys.get(0), oldRootKeys.get(1));

    assertEquals(
        "root version must be 3, got 1 (a replayed or older root)",
        assertThrows(UntrustedSignatureException.class, () -> v2.verifyNext(first, codec))
            .getMessage());
  }

  @Test
  void stepsFrom_refusesAnEnvelopeOfAnotherType() {
    Envelope desired = new Signer(hub).sign(PayloadTypes.DESIRED, codec.encode(v1.next(YEAR)));

    assertEquals(
        "root chain: payloadType must be 'application/vnd.ferry.root+json', got"
            + " 'application/vnd.ferry.desired+json'",
        assertThrows(
                UntrustedSignatureException.class,
                () -> new RootChain(List.of(desired)).stepsFrom(v1, NOW, 32, codec))
            .getMessage());
  }

  @Test
  void withRole_dropsTheKeysNoRoleNamesAnyMore() {
    KeyPair newRelease = Ed25519.generate();
    TrustRoot v2 = v1.withRole(Role.RELEASE, List.of(newRelease.getPublic()), 1).next(YEAR);

    assertEquals(5, v2.keys().size());
    assertEquals(List.of(KeyIds.of(newRelease.getPublic())), v2.roles().get("release").keyids());
    assertEquals(false, v2.keys().containsKey(KeyIds.of(release.getPublic())));
  }

  private Envelope sign(TrustRoot root, KeyPair... signers) {
    return Signer.signAll(
        PayloadTypes.ROOT, codec.encode(root), Stream.of(signers).map(Signer::new).toList());
  }

  private static List<KeyPair> keys(int count) {
    return Stream.generate(Ed25519::generate).limit(count).toList();
  }

  private static List<PublicKey> publicKeys(List<KeyPair> pairs) {
    return pairs.stream().map(KeyPair::getPublic).toList();
  }
}
