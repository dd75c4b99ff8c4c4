package dev.ferry.hub.identity;

import dev.ferry.protocol.oci.Digest;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;

/** Random secrets shown once and stored as sha256 hashes: enrollment tokens, device passwords. */
final class Secrets {
  private static final SecureRandom RANDOM = new SecureRandom();

  private Secrets() {}

  /** A new secret: the prefix and 32 random bytes, base64url. */
  static String generate(String prefix) {
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    return prefix + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  /** The stored form: sha256, hex. */
  static String hash(String secret) {
    return Digest.of(secret.getBytes(StandardCharsets.UTF_8)).hex();
  }

  /** The stored form of raw bytes (an MQTT password). */
  static String hash(byte[] secret) {
    return Digest.of(secret).hex();
  }

  /** Compares two stored forms in constant time. */
  static boolean same(String hash, String expected) {
    return hash != null
        && expected != null
        && MessageDigest.isEqual(
            hash.getBytes(StandardCharsets.US_ASCII), expected.getBytes(StandardCharsets.US_ASCII));
  }
}
