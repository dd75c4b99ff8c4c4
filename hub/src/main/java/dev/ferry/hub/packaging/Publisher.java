package dev.ferry.hub.packaging;

import dev.ferry.hub.api.ApiException;
import dev.ferry.hub.api.ErrorCode;
import dev.ferry.hub.catalog.Catalog;
import dev.ferry.hub.catalog.Release;
import dev.ferry.hub.catalog.ReleaseState;
import dev.ferry.hub.db.Database;
import dev.ferry.hub.registry.ArtifactStore;
import dev.ferry.protocol.json.Fields;
import dev.ferry.protocol.json.JsonCodec;
import dev.ferry.protocol.json.MalformedMessageException;
import dev.ferry.protocol.oci.Digest;
import dev.ferry.protocol.oci.MediaTypes;
import dev.ferry.protocol.release.GoldenVectors;
import dev.ferry.protocol.release.ModelNames;
import dev.ferry.protocol.release.ReleasePredicate;
import dev.ferry.protocol.release.ReleaseStatement;
import dev.ferry.protocol.release.ServingSpec;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Publishes a release: checks the model with ONNX Runtime, completes its golden vectors, builds and
 * stores the ModelPack artifact and records the release with its statement; then {@link
 * ReleaseSigning} signs it with the hub's release key, or it waits for a statement signed offline.
 * A failure at any step leaves no release row and no tag.
 */
@ApplicationScoped
public class Publisher {
  private static final Pattern PROVIDER = Pattern.compile("[A-Z][A-Z0-9_]{0,31}");

  private final JsonCodec goldenCodec = new JsonCodec();
  private final JsonCodec codec = new JsonCodec();
  private final ArtifactBuilder builder = new ArtifactBuilder();

  @Inject Clock clock;
  @Inject Catalog catalog;
  @Inject ArtifactStore store;
  @Inject Database db;
  @Inject ReleaseSigning signing;
  @Inject InterfaceCheck interfaces;

  /**
   * Publishes.
   *
   * @param submission what to publish
   * @param actor the publishing token's name
   * @return the recorded release
   * @throws ApiException 400, 409, 422 or 503 with a message naming the problem
   */
  public Release publish(Submission submission, String actor) {
    checkRequest(submission);
    String name = submission.name();
    String version = submission.version();
    ModelSignature signature = inspect(submission.model());
    interfaces.check(name, version, signature, submission.interfaceChange(), actor);
    GoldenVectors golden = golden(submission, signature, name + "@" + version);
    ServingSpec serving =
        signature.servingSpec(
            name, version, submission.executionProviders(), submission.sessionHints());
    Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
    checkExpiry(submission.expiresAt(), now);
    try {
      Artifact artifact =
          builder.build(
              submission.model(),
              serving,
              golden,
              submission.description(),
              submission.license(),
              now);
      String repository = store.repositoryOf(name);
      storeArtifact(repository, artifact);
      Release draft =
          new Release(
              name,
              version,
              0,
              store.registry() + "/" + repository,
              artifact.manifestDigest(),
              artifact.size(),
              serving,
              null,
              submission.description(),
              submission.license(),
              actor,
              now,
              null,
              ReleaseState.PENDING_SIGNATURE);
      return db.transaction(
          c -> {
            Release pending =
                catalog.recordPending(
                    c,
                    draft,
                    seq -> statement(draft, seq, artifact, submission.expiresAt()),
                    artifact.manifest());
            return signing.signOnline(c, pending);
          });
    } catch (IOException e) {
      throw new ApiException(
          ErrorCode.UNAVAILABLE,
          "storing the artifact in " + store.registry() + " failed: " + e.getMessage());
    }
  }

  /** Checks name, version and providers, and that the version is new; shared with variants. */
  void checkRequest(Submission submission) {
    String name = ModelNames.requireName(submission.name(), "name");
    String version = ModelNames.requireVersion(submission.version(), "version");
    submission
        .executionProviders()
        .forEach(p -> Fields.matching(p, PROVIDER, "executionProviders"));
    if (catalog.exists(name, version)) {
      throw new ApiException(
          ErrorCode.CONFLICT,
          "model " + Fields.show(name) + " already has version " + Fields.show(version));
    }
  }

  /** OCI tags have no '+': build metadata is written with '_' instead, as Helm does. */
  static String tagOf(String version) {
    return version.replace('+', '_');
  }

  /** Refuses external data before ONNX Runtime opens the file, then reads the signature. */
  static ModelSignature inspect(Path model) {
    try {
      ExternalDataCheck.check(model);
      return OnnxInspector.inspect(model);
    } catch (ExternalDataException e) {
      throw new ApiException(ErrorCode.INVALID_REQUEST, e.getMessage(), Map.of("field", "model"));
    } catch (InvalidModelException e) {
      throw new ApiException(ErrorCode.UNPROCESSABLE, e.getMessage(), Map.of("field", "model"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private GoldenVectors golden(Submission submission, ModelSignature signature, String seedText) {
    try {
      GoldenVectors given = submission.golden() == null ? null : readGolden(submission.golden());
      Map<String, List<Long>> hints =
          submission.shapes() == null || submission.shapes().isBlank()
              ? Map.of()
              : ShapeHints.parse(submission.shapes());
      return GoldenVectorRunner.run(
          submission.model(), signature, given, hints, seedText.hashCode());
    } catch (InvalidGoldenException | InvalidShapeHintException | MalformedMessageException e) {
      throw new ApiException(ErrorCode.UNPROCESSABLE, e.getMessage(), Map.of("field", "golden"));
    }
  }

  GoldenVectors readGolden(Path file) {
    try (InputStream in = Files.newInputStream(file)) {
      return GoldenForms.numbers(goldenCodec.decode(in, GoldenVectors.class));
    } catch (IOException e) {
      throw new ApiException(
          ErrorCode.INVALID_REQUEST, "cannot read the golden upload: " + e.getMessage());
    }
  }

  void storeArtifact(String repository, Artifact artifact) throws IOException {
    store.putBlob(repository, artifact.modelLayer().digest(), artifact.modelFile());
    for (Digest digest : artifact.smallBlobDigests()) {
      store.putBlob(repository, artifact.smallBlobs().get(digest));
    }
    store.putManifest(repository, null, MediaTypes.OCI_MANIFEST, artifact.manifest());
  }

  static void checkExpiry(Instant expiresAt, Instant now) {
    if (expiresAt != null && !expiresAt.isAfter(now)) {
      throw new ApiException(
          ErrorCode.INVALID_REQUEST,
          "expiresAt must be in the future (now " + now + "), got " + expiresAt,
          Map.of("field", "expiresAt"));
    }
  }

  private byte[] statement(Release draft, long seq, Artifact artifact, Instant expiresAt) {
    ReleasePredicate predicate =
        new ReleasePredicate(
            draft.name(),
            draft.version(),
            seq,
            draft.createdAt(),
            artifact.servingLayer().digest(),
            artifact.goldenLayer().digest(),
            expiresAt);
    return codec.encode(
        ReleaseStatement.of(draft.repository(), artifact.manifestDigest(), predicate));
  }
}
