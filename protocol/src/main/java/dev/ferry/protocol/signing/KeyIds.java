package dev.ferry.protocol.signing;

import dev.ferry.protocol.oci.Digest;
import java.security.PublicKey;

/**
 * Key ids: the lowercase hex sha256 of the key's X.509 SubjectPublicKeyInfo DER encoding, so that
 * one key has exactly one id and a trust root cannot list a key twice under two names.
 */
public final class KeyIds {
  private KeyIds() {}

  /**
   * The id of a public key.
   *
   * @param key the key
   * @return 64 lowercase hex digits
   */
  public static String of(PublicKey key) {
    return Digest.of(key.getEncoded()).hex();
  }
}
