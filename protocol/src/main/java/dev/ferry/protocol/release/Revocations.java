package dev.ferry.protocol.release;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.ferry.protocol.json.FieldException;
import dev.ferry.protocol.json.Fields;
import dev.ferry.protocol.json.MaxBytes;
import dev.ferry.protocol.json.Schema;
import dev.ferry.protocol.oci.Digest;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The revocation list: every withdrawn release. Signed by the release role as a DSSE envelope of
 * type {@link dev.ferry.protocol.signing.PayloadTypes#REVOCATIONS}, published retained on {@link
 * dev.ferry.protocol.device.TrustTopics#REVOCATIONS}. An agent takes a list only if its version is
 * above the one it holds, so an older list replayed changes nothing.
 *
 * @param version grows with every change (and every re-signing); at least 1
 * @param issuedAt when the hub signed it
 * @param expiresAt after this the list is stale; null for one that does not expire
 * @param releases the withdrawn releases
 */
@Schema("ferry.revocations/v1")
@MaxBytes(1 << 20)
public record Revocations(
    @JsonProperty(required = true) long version,
    Instant issuedAt,
    Instant expiresAt,
    List<RevokedRelease> releases) {

  /** Checks the fields; expiry, if any, after issue. */
  public Revocations {
    Fields.atLeast(version, 1, "version");
    Fields.required(issuedAt, "issuedAt");
    if (expiresAt != null && !expiresAt.isAfter(issuedAt)) {
      throw new FieldException(
          "expiresAt", "must be after issuedAt " + issuedAt + ", got " + expiresAt);
    }
    releases = Fields.list(Fields.required(releases, "releases"), "releases");
  }

  /**
   * The entry that withdraws a release, matched by model and manifest digest (a reissue of a
   * revoked version is revoked too).
   *
   * @param model the model
   * @param digest the release's manifest digest
   * @return the entry, if the release is revoked
   */
  public Optional<RevokedRelease> find(String model, Digest digest) {
    return releases.stream()
        .filter(r -> r.model().equals(model) && r.digest().equals(digest))
        .findFirst();
  }

  /**
   * Whether the list has expired.
   *
   * @param now the current time
   * @return true once {@code expiresAt} has passed; false for a list without one
   */
  public boolean isExpiredAt(Instant now) {
    return expiresAt != null && !now.isBefore(expiresAt);
  }
}
