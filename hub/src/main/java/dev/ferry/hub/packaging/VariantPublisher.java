package dev.ferry.hub.packaging;

import dev.ferry.hub.api.ApiException;
import dev.ferry.hub.api.ErrorCode;
import dev.ferry.hub.catalog.Catalog;
import dev.ferry.hub.catalog.Release;
import dev.ferry.hub.catalog.ReleaseState;
import dev.ferry.hub.db.Database;
import dev.ferry.hub.registry.ArtifactStore;
import dev.ferry.protocol.json.JsonCodec;
import dev.ferry.protocol.json.MalformedMessageException;
import dev.ferry.protocol.oci.MediaTypes;
import dev.ferry.protocol.release.ReleasePredicate;
import dev.ferry.protocol.release.ReleaseStatement;
import dev.ferry.protocol.release.ReleaseVariant;
import dev.ferry.protocol.release.ServingSpec;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;

/**
 * Publishes a release with several variants: checks each ({@link VariantChecks}), packages them as
 * an OCI image index of ModelPack manifests ({@link VariantArtifacts}), stores them, and records
 * the release with a statement whose subject is the index and whose predicate names every variant's
 * manifest; {@link ReleaseSigning} then signs it (or it waits for a statement signed offline),
 * attaches the signature to the index as a referrer and tags the index with the version. A failure
 * at any step leaves no release row and no tag.
 */
@ApplicationScoped
public class VariantPublisher {
  private final JsonCodec codec = new JsonCodec();
  private final VariantArtifacts packager = new VariantArtifacts();

  @Inject Clock clock;
  @Inject Catalog catalog;
  @Inject ArtifactStore store;
  @Inject Database db;
  @Inject ReleaseSigning signing;
  @Inject Publisher publisher;
  @Inject InterfaceCheck interfaces;

  /**
   * Publishes.
   *
   * @param submission what to publish
   * @param actor the publishing token's name
   * @return the recorded release
   * @throws ApiException 400, 409, 422 or 503 with a message naming the problem
   */
  public Release publish(VariantSubmission submission, String actor) {
    Submission common = submission.common();
    publisher.checkRequest(common);
    Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
    Publisher.checkExpiry(common.expiresAt(), now);
    List<VariantChecks.Checked> checked = check(submission);
    interfaces.check(
        common.name(),
        common.version(),
        checked.get(0).signature(),
        common.interfaceChange(),
        actor);
    List<ServingSpec> servings = checked.stream().map(c -> serving(common, c)).toList();
    try {
      VariantArtifacts.Packaged packaged =
          packager.build(checked, servings, common.description(), common.license(), now);
      String repository = store.repositoryOf(common.name());
      for (Artifact artifact : packaged.artifacts()) {
        publisher.storeArtifact(repository, artifact);
      }
      store.putManifest(repository, null, MediaTypes.OCI_INDEX, packaged.index());
      Release draft = draft(common, packaged, servings.get(0), actor, now);
      return db.transaction(
          c -> {
            Release pending =
                catalog.recordPending(
                    c,
                    draft,
                    seq -> statement(draft, seq, packaged.variants(), common.expiresAt()),
                    packaged.index());
            return signing.signOnline(c, pending);
          });
    } catch (IOException e) {
      throw new ApiException(
          ErrorCode.UNAVAILABLE,
          "storing the artifact in " + store.registry() + " failed: " + e.getMessage());
    }
  }

  private List<VariantChecks.Checked> check(VariantSubmission submission) {
    Submission common = submission.common();
    VariantChecks checks = new VariantChecks(Publisher::inspect, publisher::readGolden);
    try {
      return checks.check(
          submission.variants(),
          common.shapes() == null || common.shapes().isBlank()
              ? Map.of()
              : ShapeHints.parse(common.shapes()),
          (common.name() + "@" + common.version()).hashCode());
    } catch (InvalidVariantException e) {
      throw new ApiException(ErrorCode.UNPROCESSABLE, e.getMessage(), Map.of("field", "variant"));
    } catch (InvalidGoldenException | InvalidShapeHintException | MalformedMessageException e) {
      throw new ApiException(ErrorCode.UNPROCESSABLE, e.getMessage(), Map.of("field", "golden"));
    }
  }

  /** A variant that targets providers may run on those only; one that targets none as allowed. */
  private static ServingSpec serving(Submission common, VariantChecks.Checked checked) {
    List<String> providers = checked.upload().target().providers();
    return checked
        .signature()
        .servingSpec(
            common.name(),
            common.version(),
            providers.isEmpty() ? common.executionProviders() : providers,
            common.sessionHints());
  }

  private Release draft(
      Submission common,
      VariantArtifacts.Packaged packaged,
      ServingSpec serving,
      String actor,
      Instant now) {
    return new Release(
        common.name(),
        common.version(),
        0,
        store.registry() + "/" + store.repositoryOf(common.name()),
        packaged.indexDigest(),
        packaged.size(),
        serving,
        null,
        common.description(),
        common.license(),
        actor,
        now,
        null,
        ReleaseState.PENDING_SIGNATURE);
  }

  private byte[] statement(
      Release draft, long seq, List<ReleaseVariant> variants, Instant expiresAt) {
    ReleaseVariant first = variants.get(0);
    ReleasePredicate predicate =
        new ReleasePredicate(
            draft.name(),
            draft.version(),
            seq,
            draft.createdAt(),
            first.servingDigest(),
            first.goldenDigest(),
            expiresAt,
            variants);
    ReleaseStatement statement =
        ReleaseStatement.of(draft.repository(), draft.manifestDigest(), predicate);
    return codec.encode(statement);
  }
}
