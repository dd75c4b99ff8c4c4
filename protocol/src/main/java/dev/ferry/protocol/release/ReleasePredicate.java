package dev.ferry.protocol.release;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.ferry.protocol.json.FieldException;
import dev.ferry.protocol.json.Fields;
import dev.ferry.protocol.oci.Digest;
import java.time.Instant;

/**
 * Ferry's predicate of a release statement.
 *
 * @param model the model name
 * @param version the release's semantic version
 * @param releaseSeq grows by one with each release of the model; an agent never installs a lower
 *     one than it has
 * @param createdAt when the release was signed
 * @param servingDigest digest of the artifact's {@code serving.json} layer
 * @param goldenDigest digest of the artifact's golden vectors layer
 * @param expiresAt after this no agent installs the release; null for a release that does not
 *     expire (every release signed before expiry existed)
 */
public record ReleasePredicate(
    String model,
    String version,
    @JsonProperty(required = true) long releaseSeq,
    Instant createdAt,
    Digest servingDigest,
    Digest goldenDigest,
    Instant expiresAt) {

  /** Checks the fields. */
  public ReleasePredicate {
    ModelNames.requireName(model, "model");
    ModelNames.requireVersion(version, "version");
    Fields.atLeast(releaseSeq, 1, "releaseSeq");
    Fields.required(createdAt, "createdAt");
    Fields.required(servingDigest, "servingDigest");
    Fields.required(goldenDigest, "goldenDigest");
    if (expiresAt != null && !expiresAt.isAfter(createdAt)) {
      throw new FieldException(
          "expiresAt", "must be after createdAt " + createdAt + ", got " + expiresAt);
    }
  }

  /**
   * A predicate that does not expire.
   *
   * @param model the model name
   * @param version the release's semantic version
   * @param releaseSeq the release sequence
   * @param createdAt when the release was signed
   * @param servingDigest digest of the {@code serving.json} layer
   * @param goldenDigest digest of the golden vectors layer
   * @return the predicate, without {@code expiresAt}
   */
  public static ReleasePredicate lasting(
      String model,
      String version,
      long releaseSeq,
      Instant createdAt,
      Digest servingDigest,
      Digest goldenDigest) {
    return new ReleasePredicate(
        model, version, releaseSeq, createdAt, servingDigest, goldenDigest, null);
  }

  /**
   * Whether the release has expired.
   *
   * @param now the current time
   * @return true once {@code expiresAt} has passed; false for a release without one
   */
  public boolean isExpiredAt(Instant now) {
    return expiresAt != null && !now.isBefore(expiresAt);
  }
}
