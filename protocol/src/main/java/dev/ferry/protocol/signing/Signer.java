package dev.ferry.protocol.signing;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Signs DSSE envelopes with one Ed25519 key. Its {@link #toString()} shows the key id only. Safe
 * for concurrent use.
 */
public final class Signer {
  private final PrivateKey key;
  private final String keyId;

  /**
   * Engines initialised with the key, each used by one thread at a time: BouncyCastle's {@code
   * initSign} decodes a JDK key and derives its public key again, which cost as much as the
   * signature itself (B6: a fan-out signs a desired state for each device).
   */
  private final Queue<java.security.Signature> engines = new ConcurrentLinkedQueue<>();

  /**
   * A signer for a key pair.
   *
   * @param pair an Ed25519 key pair
   */
  public Signer(KeyPair pair) {
    this.key = pair.getPrivate();
    this.keyId = KeyIds.of(pair.getPublic());
  }

  /**
   * An envelope signed by every signer given, each once.
   *
   * @param payloadType the payload type
   * @param payload the payload bytes
   * @param signers the signers, at least one
   * @return the envelope
   */
  public static Envelope signAll(String payloadType, byte[] payload, List<Signer> signers) {
    byte[] pae = Pae.encode(payloadType, payload);
    List<Signature> signatures = new ArrayList<>();
    for (Signer signer : signers) {
      signatures.add(new Signature(signer.keyId, signer.signPae(pae)));
    }
    return new Envelope(payloadType, Base64.getEncoder().encodeToString(payload), signatures);
  }

  /** The id of this signer's public key ({@link KeyIds}). */
  public String keyId() {
    return keyId;
  }

  /**
   * An envelope with this signer's signature.
   *
   * @param payloadType the payload type
   * @param payload the payload bytes
   * @return the envelope
   */
  public Envelope sign(String payloadType, byte[] payload) {
    return signAll(payloadType, payload, List.of(this));
  }

  private String signPae(byte[] pae) {
    try {
      java.security.Signature engine = engines.poll();
      if (engine == null) {
        engine = Ed25519.signer();
        engine.initSign(key);
      }
      engine.update(pae);
      // sign() leaves the engine initialised with the key, ready for the next message
      String signature = Base64.getEncoder().encodeToString(engine.sign());
      engines.offer(engine);
      return signature;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot sign with key " + keyId, e);
    }
  }

  @Override
  public String toString() {
    return "Signer[" + keyId + "]";
  }
}
