package dev.ferry.hub.catalog;

import dev.ferry.hub.api.ApiException;
import dev.ferry.hub.api.ErrorCode;
import dev.ferry.protocol.api.ReleaseRevocation;
import dev.ferry.protocol.json.Fields;
import dev.ferry.protocol.oci.Digest;
import dev.ferry.protocol.release.ServingSpec;
import dev.ferry.protocol.signing.Envelope;
import java.time.Instant;

/**
 * A release of a model: published and signed, or waiting for its signature.
 *
 * @param name the model name
 * @param version its semantic version
 * @param releaseSeq grows by one per release of the model
 * @param repository where agents pull it, {@code host[:port]/path}
 * @param manifestDigest the model manifest's digest
 * @param size bytes of the artifact: manifest, config and layers
 * @param serving the serving spec ({@code serving.json})
 * @param statement the release statement, signed by the release key; null while its signature is
 *     pending
 * @param description what it is; null when none
 * @param license its SPDX license expression; null when none
 * @param createdBy the name of the token that published it
 * @param createdAt when it was published
 * @param revoked when and why it was withdrawn; null while it is not
 * @param state whether it is published or waits for its signature
 */
public record Release(
    String name,
    String version,
    long releaseSeq,
    String repository,
    Digest manifestDigest,
    long size,
    ServingSpec serving,
    Envelope statement,
    String description,
    String license,
    String createdBy,
    Instant createdAt,
    ReleaseRevocation revoked,
    ReleaseState state) {

  /**
   * Refuses a revoked release as the target of a rollout or a rollback.
   *
   * @param refused what is refused, for the message ({@code a rollout of})
   * @throws ApiException 409 naming the model, the version and the revocation
   */
  public void refuseIfRevoked(String refused) {
    if (revoked != null) {
      throw new ApiException(
          ErrorCode.CONFLICT,
          refused
              + " model "
              + Fields.show(name)
              + " version "
              + Fields.show(version)
              + " is refused: it was revoked at "
              + revoked.revokedAt()
              + " by "
              + revoked.revokedBy()
              + " ("
              + revoked.reason()
              + ")");
    }
  }

  /** This release as the API sends it. */
  public dev.ferry.protocol.api.Release toApi() {
    return new dev.ferry.protocol.api.Release(
        name,
        version,
        releaseSeq,
        repository,
        manifestDigest,
        size,
        serving,
        statement,
        description,
        license,
        createdBy,
        createdAt,
        revoked,
        ReleaseVariants.of(statement),
        state.name());
  }
}
