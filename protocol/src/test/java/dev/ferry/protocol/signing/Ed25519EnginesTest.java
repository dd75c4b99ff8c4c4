package dev.ferry.protocol.signing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.Signature;
import org.junit.jupiter.api.Test;

class Ed25519EnginesTest {
  private final KeyPair keys = Ed25519.generate();
  private final byte[] message = "pae".getBytes(StandardCharsets.UTF_8);

  @Test
  void verifier_isTheSignersProvider() throws GeneralSecurityException {
    assertEquals(
        Ed25519.signer().getProvider().getName(), Ed25519.verifier().getProvider().getName());
  }

  @Test
  void verifier_acceptsWhatTheSignerSigned() throws GeneralSecurityException {
    Signature signer = Ed25519.signer();
    signer.initSign(keys.getPrivate());
    signer.update(message);
    byte[] signature = signer.sign();

    Signature verifier = Ed25519.verifier();
    verifier.initVerify(keys.getPublic());
    verifier.update(message);
    assertTrue(verifier.verify(signature));
  }
}
