package dev.ferry.protocol.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.ferry.protocol.oci.Digest;
import dev.ferry.protocol.release.ServingSpec;
import dev.ferry.protocol.signing.Envelope;
import java.time.Instant;
import java.util.List;

/**
 * A release of a model, published and signed or waiting for its signature: the answer of {@code
 * POST /api/v1/models/{name}/versions} and {@code GET /api/v1/models/{name}/versions/{version}}.
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
 * @param variants the variants of a release published for several accelerators, in the release's
 *     order ({@code manifestDigest} is then that of the OCI image index listing them); empty, and
 *     left out, for a release of one model file
 * @param state {@code PUBLISHED}, or {@code PENDING_SIGNATURE} while a hub whose release key is
 *     offline waits for the statement signed by {@code ferry release sign} (not rollable yet); null
 *     from older hubs
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
    @JsonInclude(JsonInclude.Include.NON_EMPTY) List<VariantSummary> variants,
    String state) {

  /** Copies the variants. */
  public Release {
    variants = variants == null ? List.of() : List.copyOf(variants);
  }
}
