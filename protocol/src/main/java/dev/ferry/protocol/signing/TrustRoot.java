package dev.ferry.protocol.signing;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.ferry.protocol.json.FieldException;
import dev.ferry.protocol.json.Fields;
import dev.ferry.protocol.json.JsonCodec;
import dev.ferry.protocol.json.MaxBytes;
import dev.ferry.protocol.json.Schema;
import java.security.PublicKey;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
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
   * next one. Expiry is not checked here: see {@link RootChain#stepsFrom}.
   *
   * @param next the envelope of the next root ({@link PayloadTypes#ROOT})
   * @param codec the codec to decode it with
   * @return the next root
   * @throws UntrustedSignatureException if a threshold is not met or the version is not N+1
   */
  public TrustRoot verifyNext(Envelope next, JsonCodec codec) {
    byte[] payload = signedBy(this, "root version " + version + "'s", next);
    TrustRoot candidate = codec.decode(payload, TrustRoot.class);
    if (candidate.version() != version + 1) {
      String replay = candidate.version() <= version ? " (a replayed or older root)" : "";
      throw new UntrustedSignatureException(
          "root version must be " + (version + 1) + ", got " + candidate.version() + replay);
    }
    signedBy(candidate, "its own", next);
    return candidate;
  }

  private static byte[] signedBy(TrustRoot signers, String whose, Envelope next) {
    try {
      return signers.verifier(Role.ROOT).verify(next, PayloadTypes.ROOT);
    } catch (UntrustedSignatureException e) {
      throw new UntrustedSignatureException(
          "the next root must be signed by a threshold of "
              + whose
              + " root keys: "
              + e.getMessage());
    }
  }

  /**
   * A root trusted on first use: its keys come from the document itself, so it must parse first,
   * then a threshold of its own root keys must have signed it.
   *
   * @param envelope the signed root ({@link PayloadTypes#ROOT})
   * @param codec the codec to decode it with
   * @return the root
   * @throws UntrustedSignatureException if the type differs or its own threshold is not met
   */
  public static TrustRoot selfSigned(Envelope envelope, JsonCodec codec) {
    if (!PayloadTypes.ROOT.equals(envelope.payloadType())) {
      throw new UntrustedSignatureException(
          "payloadType must be '" + PayloadTypes.ROOT + "', got '" + envelope.payloadType() + "'");
    }
    TrustRoot root = codec.decode(envelope.payloadBytes(), TrustRoot.class);
    byte[] verified = root.verifier(Role.ROOT).verify(envelope, PayloadTypes.ROOT);
    return codec.decode(verified, TrustRoot.class);
  }

  /**
   * The first root of a fleet.
   *
   * @param expiresAt when it expires; null for never
   * @param keys the keys of each role, every role present
   * @param rootThreshold how many root keys must sign; the other roles need one signature
   * @return root version 1
   */
  public static TrustRoot initial(
      Instant expiresAt, Map<Role, List<PublicKey>> keys, int rootThreshold) {
    Map<String, TrustedKey> all = new LinkedHashMap<>();
    Map<String, RoleKeys> roles = new LinkedHashMap<>();
    for (Role role : Role.values()) {
      List<PublicKey> roleKeys = Fields.required(keys.get(role), "keys." + role.id());
      roles.put(role.id(), register(roleKeys, role == Role.ROOT ? rootThreshold : 1, all));
    }
    return new TrustRoot(1, expiresAt, all, roles);
  }

  /**
   * This root with one role's keys replaced; keys that no role names any more are dropped.
   *
   * @param role the role
   * @param roleKeys its new keys
   * @param threshold how many of them must sign
   * @return the edited root, same version
   */
  public TrustRoot withRole(Role role, List<PublicKey> roleKeys, int threshold) {
    Map<String, TrustedKey> all = new LinkedHashMap<>(keys);
    Map<String, RoleKeys> edited = new LinkedHashMap<>(roles);
    edited.put(role.id(), register(roleKeys, threshold, all));
    all.keySet().retainAll(edited.values().stream().flatMap(r -> r.keyids().stream()).toList());
    return new TrustRoot(version, expiresAt, all, edited);
  }

  /**
   * The successor of this root, to be signed by the root keys of both.
   *
   * @param nextExpiresAt when the successor expires; null for never
   * @return the same keys and roles as version N+1
   */
  public TrustRoot next(Instant nextExpiresAt) {
    return new TrustRoot(version + 1, nextExpiresAt, keys, roles);
  }

  private static RoleKeys register(
      List<PublicKey> roleKeys, int threshold, Map<String, TrustedKey> all) {
    List<String> ids = new ArrayList<>();
    for (PublicKey key : roleKeys) {
      TrustedKey entry = TrustedKey.of(key);
      all.put(entry.id(), entry);
      ids.add(entry.id());
    }
    return new RoleKeys(ids, threshold);
  }
}
