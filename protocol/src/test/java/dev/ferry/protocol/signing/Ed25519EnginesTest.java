package dev.ferry.protocol.signing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.PublicKey;
import java.security.Signature;
import java.util.Arrays;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

class Ed25519EnginesTest {
  /** The verifiers under test: BouncyCastle's lightweight one and the JDK's fallback. */
  private interface Verifier {
    boolean verify(PublicKey key, byte[] message, byte[] signature);
  }

  private static final List<Verifier> VERIFIERS =
      List.of(Ed25519.Lightweight::verify, Ed25519::verifyWithJdk);

  private final KeyPair keys = Ed25519.generate();
  private final byte[] message = "pae".getBytes(StandardCharsets.UTF_8);

  @Test
  void verify_isBouncyCastlesLightweightVerifierWhenItIsOnTheClassPath() {
    assertTrue(Ed25519.BouncyCastle.PRESENT);
  }

  @Test
  void verify_acceptsWhatTheSignerSigned() throws GeneralSecurityException {
    byte[] signature = sign(message);

    assertTrue(Ed25519.verify(keys.getPublic(), message, signature));
    assertEquals(2, count(v -> v.verify(keys.getPublic(), message, signature)));
  }

  @Test
  void verify_rejectsAnAlteredSignature() throws GeneralSecurityException {
    byte[] signature = sign(message);
    signature[10] ^= 0x01;

    assertFalse(Ed25519.verify(keys.getPublic(), message, signature));
    assertEquals(0, count(v -> v.verify(keys.getPublic(), message, signature)));
  }

  @Test
  void verify_rejectsASignatureOfAnotherMessage() throws GeneralSecurityException {
    byte[] signature = sign("other".getBytes(StandardCharsets.UTF_8));

    assertEquals(0, count(v -> v.verify(keys.getPublic(), message, signature)));
  }

  @Test
  void verify_rejectsAnotherKeysSignature() throws GeneralSecurityException {
    byte[] signature = sign(message);
    PublicKey stranger = Ed25519.generate().getPublic();

    assertEquals(0, count(v -> v.verify(stranger, message, signature)));
  }

  @Test
  void verify_rejectsATruncatedOrForgedSignature() throws GeneralSecurityException {
    byte[] truncated = Arrays.copyOf(sign(message), 63);
    byte[] zeros = new byte[64];

    assertEquals(0, count(v -> v.verify(keys.getPublic(), message, truncated)));
    assertEquals(0, count(v -> v.verify(keys.getPublic(), message, zeros)));
  }

  private byte[] sign(byte[] bytes) throws GeneralSecurityException {
    Signature signer = Ed25519.signer();
    signer.initSign(keys.getPrivate());
    signer.update(bytes);
    return signer.sign();
  }

  private static long count(Predicate<Verifier> accepts) {
    return VERIFIERS.stream().filter(accepts).count();
  }
}
