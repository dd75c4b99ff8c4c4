package dev.ferry.protocol.signing;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.ferry.protocol.json.FieldException;
import dev.ferry.protocol.json.Fields;
import java.security.PublicKey;
import java.util.Base64;

/**
 * A public key listed in a trust root.
 *
 * @param keytype always {@code ed25519}
 * @param publicKey the key's X.509 SubjectPublicKeyInfo DER, standard base64 (JSON {@code public})
 */
public record TrustedKey(String keytype, @JsonProperty("public") String publicKey) {
  /** The only key type Ferry accepts. */
  public static final String ED25519 = "ed25519";

  /** Checks that the key is an Ed25519 public key. */
  public TrustedKey {
    if (!ED25519.equals(keytype)) {
      throw new FieldException("keytype", "must be 'ed25519', got " + Fields.show(keytype));
    }
    decode(Fields.required(publicKey, "public"));
  }

  /**
   * The entry for a public key.
   *
   * @param key an Ed25519 public key
   * @return the entry
   */
  public static TrustedKey of(PublicKey key) {
    return new TrustedKey(ED25519, Base64.getEncoder().encodeToString(key.getEncoded()));
  }

  /** The key. */
  public PublicKey key() {
    return decode(publicKey);
  }

  /** The key's id ({@link KeyIds}). */
  public String id() {
    return KeyIds.of(key());
  }

  private static PublicKey decode(String base64) {
    try {
      return Ed25519.publicKey(Base64.getDecoder().decode(base64));
    } catch (IllegalArgumentException e) {
      throw new FieldException(
          "public", "is not a base64 Ed25519 public key: " + Fields.show(base64));
    }
  }
}
