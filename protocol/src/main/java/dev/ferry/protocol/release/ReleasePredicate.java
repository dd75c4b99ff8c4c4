package dev.ferry.protocol.release;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.ferry.protocol.json.FieldException;
import dev.ferry.protocol.json.Fields;
import dev.ferry.protocol.oci.Digest;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

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
 * @param variants the variants of a release published for several accelerators, in the order the
 *     release manager listed them; the statement's subject is then the OCI image index that lists
 *     their manifests, and {@code servingDigest} and {@code goldenDigest} are those of the first
 *     variant. Empty (and left out of the JSON) for a release of one model file, whose subject is
 *     its ModelPack manifest.
 */
public record ReleasePredicate(
    String model,
    String version,
    @JsonProperty(required = true) long releaseSeq,
    Instant createdAt,
    Digest servingDigest,
    Digest goldenDigest,
    Instant expiresAt,
    @JsonInclude(JsonInclude.Include.NON_EMPTY) List<ReleaseVariant> variants) {

  /** Checks the fields; variants have unique names and manifests, the first one's layers on top. */
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
    variants = Fields.list(variants, "variants");
    checkVariants(variants, servingDigest, goldenDigest);
  }

  /**
   * A release of one model file.
   *
   * @param model the model name
   * @param version the release's semantic version
   * @param releaseSeq the release sequence
   * @param createdAt when the release was signed
   * @param servingDigest digest of the {@code serving.json} layer
   * @param goldenDigest digest of the golden vectors layer
   * @param expiresAt when it expires, or null
   */
  public ReleasePredicate(
      String model,
      String version,
      long releaseSeq,
      Instant createdAt,
      Digest servingDigest,
      Digest goldenDigest,
      Instant expiresAt) {
    this(model, version, releaseSeq, createdAt, servingDigest, goldenDigest, expiresAt, List.of());
  }

  private static void checkVariants(
      List<ReleaseVariant> variants, Digest servingDigest, Digest goldenDigest) {
    if (variants.isEmpty()) {
      return;
    }
    Set<String> names = new HashSet<>();
    Set<Digest> manifests = new HashSet<>();
    for (ReleaseVariant variant : variants) {
      if (!names.add(variant.name())) {
        throw new FieldException(
            "variants", "names variant " + Fields.show(variant.name()) + " twice");
      }
      if (!manifests.add(variant.manifestDigest())) {
        throw new FieldException(
            "variants", "names manifest " + variant.manifestDigest() + " twice");
      }
    }
    ReleaseVariant first = variants.get(0);
    if (!first.servingDigest().equals(servingDigest)
        || !first.goldenDigest().equals(goldenDigest)) {
      throw new FieldException(
          "variants", "servingDigest and goldenDigest must be those of the first variant");
    }
  }

  /**
   * Whether the release holds several variants in an OCI image index.
   *
   * @return true if {@link #variants()} is not empty
   */
  public boolean hasVariants() {
    return !variants.isEmpty();
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
