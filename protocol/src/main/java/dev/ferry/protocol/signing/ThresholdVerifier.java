package dev.ferry.protocol.signing;

import dev.ferry.protocol.json.Fields;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Verifies that an envelope carries valid signatures from at least {@code threshold} distinct
 * trusted keys. Each key counts once however many signatures name it.
 */
public final class ThresholdVerifier {
  private final String role;
  private final Map<String, PublicKey> keys;
  private final int threshold;

  /**
   * A verifier for one role.
   *
   * @param role the role name, used in messages
   * @param keys the trusted keys by key id; each id must be {@link KeyIds#of} its key
   * @param threshold how many distinct keys must sign, at least 1
   */
  public ThresholdVerifier(String role, Map<String, PublicKey> keys, int threshold) {
    keys.forEach(
        (id, key) -> {
          if (!id.equals(KeyIds.of(key))) {
            throw new IllegalArgumentException(
                "key id "
                    + Fields.show(id)
                    + " does not match its key, whose id is "
                    + KeyIds.of(key));
          }
        });
    if (threshold < 1 || threshold > keys.size()) {
      throw new IllegalArgumentException(
          role + " threshold must be between 1 and " + keys.size() + ", got " + threshold);
    }
    this.role = role;
    this.keys = Map.copyOf(keys);
    this.threshold = threshold;
  }

  /**
   * Verifies an envelope and returns the exact payload bytes that were signed.
   *
   * @param envelope the envelope
   * @param payloadType the payload type this role must sign
   * @return the verified payload bytes; decode these, never the envelope again
   * @throws UntrustedSignatureException if the type differs or too few trusted keys signed
   */
  public byte[] verify(Envelope envelope, String payloadType) {
    if (!envelope.payloadType().equals(payloadType)) {
      throw new UntrustedSignatureException(
          role
              + " envelope: payloadType must be "
              + Fields.show(payloadType)
              + ", got "
              + Fields.show(envelope.payloadType()));
    }
    byte[] payload = envelope.payloadBytes();
    byte[] pae = Pae.encode(envelope.payloadType(), payload);
    Set<String> verified = new LinkedHashSet<>();
    List<String> unknown = new ArrayList<>();
    List<String> bad = new ArrayList<>();
    for (Signature signature : envelope.signatures()) {
      Map<String, PublicKey> candidates = candidates(signature.keyid());
      if (candidates.isEmpty()) {
        unknown.add(shortId(signature.keyid()));
      }
      String signer = firstValid(candidates, pae, signature.sig());
      if (signer != null) {
        verified.add(signer);
      } else if (!candidates.isEmpty()) {
        bad.add(shortId(signature.keyid()));
      }
    }
    if (verified.size() < threshold) {
      throw new UntrustedSignatureException(
          String.format(
              "%s envelope: %d of %d required signatures verified (unknown key ids %s, bad"
                  + " signatures from %s)",
              role, verified.size(), threshold, unknown, bad));
    }
    return payload;
  }

  private Map<String, PublicKey> candidates(String keyid) {
    if (keyid.isEmpty()) {
      return keys;
    }
    PublicKey key = keys.get(keyid);
    return key == null ? Map.of() : Map.of(keyid, key);
  }

  private static String firstValid(Map<String, PublicKey> candidates, byte[] pae, String sig) {
    byte[] raw;
    try {
      raw = Envelope.decode(sig, "sig");
    } catch (IllegalArgumentException e) {
      return null;
    }
    for (var entry : new LinkedHashMap<>(candidates).entrySet()) {
      if (Ed25519.verify(entry.getValue(), pae, raw)) {
        return entry.getKey();
      }
    }
    return null;
  }

  private static String shortId(String keyid) {
    return keyid.isEmpty() ? "(none)" : keyid.substring(0, Math.min(12, keyid.length()));
  }
}
