package dev.ferry.protocol.signing;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.ferry.protocol.json.FieldException;
import dev.ferry.protocol.json.Fields;
import dev.ferry.protocol.json.JsonCodec;
import dev.ferry.protocol.json.MaxBytes;
import dev.ferry.protocol.json.Schema;
import java.security.PublicKey;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The trust root a device is provisioned with: the keys and thresholds of the {@code root}, {@code
 * release} and {@code hub} roles (TUF-shaped). A newer root is accepted only through {@link
 * #verifyNext}.
 *
 * @param version the root's version, from 1
 * @param expiresAt when this root stops being valid; null for never
 * @param keys the keys, by id ({@link KeyIds})
 * @param roles the roles by name: {@code root}, {@code release}, {@code hub}
 */
@Schema("ferry.root/v1")
@MaxBytes(1 << 20)
public record TrustRoot(
    @JsonProperty(required = true) int version,
    Instant expiresAt,
    Map<String, TrustedKey> keys,
    Map<String, RoleKeys> roles) {

  /** Checks key ids against their keys and that every role exists and names known keys. */
  public TrustRoot {
    Fields.atLeast(version, 1, "version");
    keys = Fields.map(Fields.required(keys, "keys"), "keys");
    roles = Fields.map(Fields.required(roles, "roles"), "roles");
    keys.forEach(
        (id, key) -> {
          if (!id.equals(key.id())) {
            throw new FieldException(
                "keys." + id, "does not match its key, whose id is " + key.id());
          }
        });
    for (Role role : Role.values()) {
      RoleKeys entry = roles.get(role.id());
      if (entry == null) {
        throw new FieldException("roles." + role.id(), "is missing");
      }
      for (String id : entry.keyids()) {
        if (!keys.containsKey(id)) {
          throw new FieldException(
              "roles." + role.id() + ".keyids", "names an unknown key " + Fields.show(id));
        }
      }
    }
  }

  /**
   * The verifier for one role.
   *
   * @param role the role
   * @return a verifier with the role's keys and threshold
   */
  public ThresholdVerifier verifier(Role role) {
    RoleKeys entry = roles.get(role.id());
    Map<String, PublicKey> roleKeys = new LinkedHashMap<>();
    entry.keyids().forEach(id -> roleKeys.put(id, keys.get(id).key()));
    return new ThresholdVerifier(role.id(), roleKeys, entry.threshold());
  }

  /**
   * Whether this root has expired.
   *
   * @param now the current time
   * @return true once {@code expiresAt} has passed
   */
  public boolean isExpiredAt(Instant now) {
    return expiresAt != null && !now.isBefore(expiresAt);
  }

  /**
   * Verifies the next root: version N+1, signed by the root thresholds of both this root and the
   * next one.
   *
   * @param next the envelope of the next root ({@link PayloadTypes#ROOT})
   * @param codec the codec to decode it with
   * @return the next root
   * @throws UntrustedSignatureException if a threshold is not met or the version is not N+1
   */
  public TrustRoot verifyNext(Envelope next, JsonCodec codec) {
    byte[] payload = verifier(Role.ROOT).verify(next, PayloadTypes.ROOT);
    TrustRoot candidate = codec.decode(payload, TrustRoot.class);
    candidate.verifier(Role.ROOT).verify(next, PayloadTypes.ROOT);
    if (candidate.version() != version + 1) {
      throw new UntrustedSignatureException(
          "root version must be " + (version + 1) + ", got " + candidate.version());
    }
    return candidate;
  }
}
