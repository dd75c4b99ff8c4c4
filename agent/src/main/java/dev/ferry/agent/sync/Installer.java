package dev.ferry.agent.sync;

import dev.ferry.agent.failure.Failure;
import dev.ferry.agent.failure.Reason;
import dev.ferry.agent.fetch.ArtifactFetcher;
import dev.ferry.agent.fetch.FetchException;
import dev.ferry.agent.fetch.FetchedArtifact;
import dev.ferry.agent.runtime.Models;
import dev.ferry.agent.runtime.VersionRejectedException;
import dev.ferry.agent.store.CorruptBlobException;
import dev.ferry.agent.store.InstalledVersion;
import dev.ferry.agent.store.Target;
import dev.ferry.protocol.device.EventType;
import dev.ferry.protocol.device.ModelAssignment;
import dev.ferry.protocol.json.MalformedMessageException;
import dev.ferry.protocol.oci.Annotations;
import dev.ferry.protocol.oci.Descriptor;
import dev.ferry.protocol.oci.Digest;
import dev.ferry.protocol.release.ReleasePredicate;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Installs one assigned version: fetches it, checks it against the signed statement, loads it and
 * runs its golden vectors, swaps it in and records it in state.json. Failures come back as a {@link
 * Failure}: what is wrong with the version names its rule; a defect in the agent is logged and
 * comes back as {@link Reason#INTERNAL_ERROR}, which is retried, never recorded for good.
 */
final class Installer {
  private static final Logger LOG = Logger.getLogger(Installer.class);

  private final ArtifactFetcher fetcher;
  private final CacheLoader loader;
  private final Models models;
  private final SavedState state;
  private final Reports reports;

  Installer(
      ArtifactFetcher fetcher,
      CacheLoader loader,
      Models models,
      SavedState state,
      Reports reports) {
    this.fetcher = fetcher;
    this.loader = loader;
    this.models = models;
    this.state = state;
    this.reports = reports;
  }

  /**
   * Installs a version; what serves is disturbed only by a version that passed every check.
   *
   * @param target the assigned model
   * @param record whether to record it as the active version (false to repair one already recorded)
   * @return empty once it serves, else why not
   */
  Optional<Failure> install(Target target, boolean record) {
    try {
      steps(target, record);
      return Optional.empty();
    } catch (FetchException e) {
      return Optional.of(e.failure());
    } catch (UnsignedLayerException e) {
      return failure(Reason.UNSIGNED_LAYER, e);
    } catch (ServingSpecMismatchException | MalformedMessageException e) {
      return failure(Reason.INVALID_MODEL_FILE, e);
    } catch (VersionRejectedException e) {
      return failure(Reason.VERSION_REJECTED, e);
    } catch (IOException | UncheckedIOException | CorruptBlobException e) {
      return failure(Reason.CACHE, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.of(new Failure(Reason.INTERRUPTED, "interrupted"));
    } catch (RuntimeException e) {
      LOG.errorf(e, "installing %s failed on a defect; it is tried again later", target.name());
      return Optional.of(new Failure(Reason.INTERNAL_ERROR, e.toString()));
    }
  }

  private void steps(Target target, boolean record)
      throws FetchException,
          InterruptedException,
          UnsignedLayerException,
          IOException,
          ServingSpecMismatchException {
    String name = target.name();
    ReleasePredicate release = target.statement().predicate();
    reports.downloading(name, release.version());
    FetchedArtifact artifact =
        fetcher.fetch(
            target.assignment().repository(),
            target.assignment().manifestDigest(),
            reports.progress(name, release.version()));
    checkSigned(artifact, release);
    reports.event(EventType.VERIFIED, name, release.version(), null);
    InstalledVersion version = installed(target, artifact);
    models.install(name, loader.load(version));
    reports.event(EventType.VALIDATED, name, release.version(), null);
    if (record) {
      state.save(state.get().activate(version));
    }
    reports.active(version);
    reports.event(EventType.ACTIVATED, name, release.version(), null);
  }

  private static Optional<Failure> failure(Reason reason, Exception e) {
    return Optional.of(new Failure(reason, String.valueOf(e.getMessage())));
  }

  /** The statement names the digests of serving.json and the golden vectors: they must match. */
  private static void checkSigned(FetchedArtifact artifact, ReleasePredicate release)
      throws UnsignedLayerException {
    Digest serving = artifact.manifest().layerAt("serving.json").digest();
    Digest golden = artifact.manifest().layerAt("golden.json").digest();
    if (!serving.equals(release.servingDigest()) || !golden.equals(release.goldenDigest())) {
      throw new UnsignedLayerException(
          serving, golden, release.servingDigest(), release.goldenDigest());
    }
  }

  private static InstalledVersion installed(Target target, FetchedArtifact artifact) {
    ModelAssignment assignment = target.assignment();
    ReleasePredicate release = target.statement().predicate();
    Map<String, Digest> files = new LinkedHashMap<>();
    for (Descriptor layer : artifact.manifest().layers()) {
      files.put(layer.annotations().get(Annotations.MODEL_FILEPATH), layer.digest());
    }
    return new InstalledVersion(
        target.name(),
        release.version(),
        assignment.manifestDigest(),
        release.releaseSeq(),
        files,
        assignment.release());
  }
}
