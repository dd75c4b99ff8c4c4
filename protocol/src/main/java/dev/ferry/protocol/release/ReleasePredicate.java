package dev.ferry.protocol.release;

import com.fasterxml.jackson.annotation.JsonProperty;
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
 */
public record ReleasePredicate(
    String model,
    String version,
    @JsonProperty(required = true) long releaseSeq,
    Instant createdAt,
    Digest servingDigest,
    Digest goldenDigest) {

  /** Checks the fields. */
  public ReleasePredicate {
    ModelNames.requireName(model, "model");
    ModelNames.requireVersion(version, "version");
    Fields.atLeast(releaseSeq, 1, "releaseSeq");
    Fields.required(createdAt, "createdAt");
    Fields.required(servingDigest, "servingDigest");
    Fields.required(goldenDigest, "goldenDigest");
  }
}
