package dev.ferry.agent.sync;

import dev.ferry.agent.failure.Failure;
import dev.ferry.agent.failure.Reason;
import dev.ferry.agent.fetch.ArtifactFetcher;
import dev.ferry.agent.fetch.FetchException;
import dev.ferry.agent.fetch.FetchedArtifact;
import dev.ferry.agent.runtime.Models;
import dev.ferry.agent.runtime.VariantChoice;
import dev.ferry.agent.runtime.VariantChooser;
import dev.ferry.agent.runtime.VersionRejectedException;
import dev.ferry.agent.store.InstalledVariant;
import dev.ferry.agent.store.InstalledVersion;
import dev.ferry.agent.store.Target;
import dev.ferry.protocol.device.EventType;
import dev.ferry.protocol.device.ModelAssignment;
import dev.ferry.protocol.json.MalformedMessageException;
import dev.ferry.protocol.oci.Annotations;
import dev.ferry.protocol.oci.Descriptor;
import dev.ferry.protocol.oci.Digest;
import dev.ferry.protocol.release.ReleasePredicate;
import dev.ferry.protocol.release.ReleaseVariant;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import org.jboss.logging.Logger;

/**
 * Installs one assigned version: fetches it, checks it against the signed statement, loads it and
 * runs its golden vectors, swaps it in and records it in state.json; at start, makes the installed
 * versions serve again from the cache. Failures come back as a {@link Failure}: what is wrong with
 * the version names its rule; a defect in the agent is logged and comes back as {@link
 * Reason#INTERNAL_ERROR}, which is retried, never recorded for good.
 */
final class Installer {
  private static final Logger LOG = Logger.getLogger(Installer.class);

  /** Exceptions that say what is wrong with the version or the cache, and their reasons. */
  private static final List<Map.Entry<Class<? extends Exception>, Reason>> KNOWN =
      List.of(
          Map.entry(UnsignedLayerException.class, Reason.UNSIGNED_LAYER),
          Map.entry(ServingSpecMismatchException.class, Reason.INVALID_MODEL_FILE),
          Map.entry(MalformedMessageException.class, Reason.INVALID_MODEL_FILE),
          Map.entry(VersionRejectedException.class, Reason.VERSION_REJECTED),
          Map.entry(IOException.class, Reason.CACHE),
          Map.entry(UncheckedIOException.class, Reason.CACHE));

  private final ArtifactFetcher fetcher;
  private final CacheLoader loader;
  private final Models models;
  private final SavedState state;
  private final Reports reports;
  private final Function<List<ReleaseVariant>, VariantChoice> chooser;
  private final BooleanSupplier newerDesired;

  /**
   * @param chooser picks the variant of a release with several that this device installs
   * @param newerDesired true while a newer desired state waits: a download gives way to it
   */
  Installer(
      ArtifactFetcher fetcher,
      CacheLoader loader,
      Models models,
      SavedState state,
      Reports reports,
      Function<List<ReleaseVariant>, VariantChoice> chooser,
      BooleanSupplier newerDesired) {
    this.chooser = chooser;
    this.newerDesired = newerDesired;
    this.fetcher = fetcher;
    this.loader = loader;
    this.models = models;
    this.state = state;
    this.reports = reports;
  }

  /** The installer of an applier: loads from its store, chooses variants for its providers. */
  static Installer of(Applier.Parts parts, SavedState state, Reports reports) {
    return new Installer(
        parts.fetcher(),
        new CacheLoader(parts.store(), parts.providers()),
        parts.models(),
        state,
        reports,
        variants -> VariantChooser.choose(variants, parts.providers()),
        parts.newerDesired());
  }

  /**
   * Installs a version; what serves is disturbed only by a version that passed every check. Gives
   * way to a newer desired state while its layers download ({@link Reason#DEFERRED}).
   *
   * @param target the assigned model
   * @param record whether to record it as the active version (false to repair one already recorded)
   * @return empty once it serves, else why not
   */
  Optional<Failure> install(Target target, boolean record) {
    return attempt(target, () -> steps(target, record));
  }

  /** One attempt at a target's steps. */
  @FunctionalInterface
  private interface Steps {
    void run() throws Exception;
  }

  private static Optional<Failure> attempt(Target target, Steps steps) {
    try {
      steps.run();
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.of(new Failure(Reason.INTERRUPTED, "interrupted"));
    } catch (Exception e) {
      return Optional.of(failure(target, e));
    }
  }

  /** What a failed step means: the rule the version broke, a cache failure, or a defect. */
  private static Failure failure(Target target, Exception e) {
    if (e instanceof FetchException fetch) {
      return fetch.failure();
    }
    return KNOWN.stream()
        .filter(known -> known.getKey().isInstance(e))
        .findFirst()
        .map(known -> new Failure(known.getValue(), String.valueOf(e.getMessage())))
        .orElseGet(() -> defect(target, e));
  }

  private static Failure defect(Target target, Exception e) {
    LOG.errorf(e, "installing %s failed on a defect; it is tried again later", target.name());
    return new Failure(Reason.INTERNAL_ERROR, e.toString());
  }

  /**
   * Fetches a prefetched release into the cache, durably, and checks that its statement signs what
   * was fetched; records it as prefetched and reports {@code PREFETCHED}. Nothing loads, what
   * serves is not touched, and the model's reported status does not change: the release serves only
   * once a desired state assigns it, and its install then finds every blob in the cache.
   *
   * @param target the prefetched release
   * @return empty once it is in the cache, else why not
   */
  Optional<Failure> prefetch(Target target) {
    return attempt(
        target,
        () -> {
          ReleaseVariant variant = variant(target);
          FetchedArtifact artifact = fetch(target, variant, (done, total) -> {}, newerDesired);
          await(fetcher.sync());
          state.save(state.get().prefetched(installed(target, artifact, variant)));
          reports.event(EventType.PREFETCHED, target.name(), target.version(), null);
        });
  }

  /**
   * Reports what a {@link CacheRestore} made of the installed versions: a version that does not
   * load is reported, and reconciling repairs it.
   */
  void restored(List<CacheRestore.Restored> outcomes) {
    outcomes.forEach(this::report);
  }

  private void report(CacheRestore.Restored restored) {
    InstalledVersion version = restored.version();
    restored
        .failure()
        .ifPresentOrElse(
            failure -> {
              LOG.warnf(
                  "cannot serve %s %s from the cache: %s",
                  version.name(), version.version(), failure);
              reports.notRestored(version, failure);
            },
            () -> reports.restored(version));
  }

  private void steps(Target target, boolean record)
      throws FetchException,
          InterruptedException,
          UnsignedLayerException,
          IOException,
          ServingSpecMismatchException {
    String name = target.name();
    String version = target.version();
    long started = System.nanoTime();
    Optional<String> replaced = models.slot(name).map(slot -> slot.active().version());
    boolean prefetched = state.get().isPrefetched(name, target.assignment().manifestDigest());
    ReleaseVariant variant = variant(target);
    reports.downloading(name, version);
    FetchedArtifact artifact =
        fetch(target, variant, reports.progress(name, version), newerDesired);
    InstalledVersion installed = installed(target, artifact, variant);
    // the fetched blobs reach the disk while the version loads; state.json names them only after
    CompletableFuture<Void> durable = fetcher.sync();
    reports.event(EventType.VERIFIED, name, version, null);
    models.install(name, loader.load(installed));
    reports.event(EventType.VALIDATED, name, version, null);
    if (record) {
      await(durable);
      state.save(state.get().activate(installed));
    }
    reports.active(installed);
    reports.event(EventType.ACTIVATED, name, version, null);
    LOG.infof(
        "serving %s %s%s, installed in %d ms (%s)",
        name,
        version,
        replaced
            .filter(before -> !before.equals(version))
            .map(before -> " in place of " + before)
            .orElse(""),
        (System.nanoTime() - started) / 1_000_000,
        prefetched ? "prefetched earlier, validated" : "fetched, verified, validated");
  }

  private static void await(CompletableFuture<Void> durable) throws InterruptedException {
    try {
      durable.get();
    } catch (ExecutionException e) {
      if (e.getCause() instanceof UncheckedIOException failed) {
        throw failed;
      }
      throw new IllegalStateException("syncing the cache failed", e.getCause());
    }
  }

  /** The variant this device installs of a release with several; null for one of one file. */
  private ReleaseVariant variant(Target target) {
    ReleasePredicate release = target.statement().predicate();
    return release.hasVariants() ? chooser.apply(release.variants()).variant() : null;
  }

  /**
   * Fetches the artifact (the variant's only) and checks that the statement signs it; stops waiting
   * for the download when {@code giveWay} says so.
   */
  private FetchedArtifact fetch(
      Target target,
      ReleaseVariant variant,
      ArtifactFetcher.Progress progress,
      BooleanSupplier giveWay)
      throws FetchException, InterruptedException, UnsignedLayerException {
    ModelAssignment assignment = target.assignment();
    ReleasePredicate release = target.statement().predicate();
    if (variant == null) {
      FetchedArtifact artifact =
          fetcher.fetch(assignment.repository(), assignment.manifestDigest(), progress, giveWay);
      checkSigned(artifact, release.servingDigest(), release.goldenDigest());
      return artifact;
    }
    FetchedArtifact artifact =
        fetcher.fetchVariant(
            assignment.repository(),
            assignment.manifestDigest(),
            variant.manifestDigest(),
            progress,
            giveWay);
    checkSigned(artifact, variant.servingDigest(), variant.goldenDigest());
    return artifact;
  }

  /** The statement names the digests of serving.json and the golden vectors: they must match. */
  private static void checkSigned(
      FetchedArtifact artifact, Digest signedServing, Digest signedGolden)
      throws UnsignedLayerException {
    Digest serving = artifact.manifest().layerAt("serving.json").digest();
    Digest golden = artifact.manifest().layerAt("golden.json").digest();
    if (!serving.equals(signedServing) || !golden.equals(signedGolden)) {
      throw new UnsignedLayerException(serving, golden, signedServing, signedGolden);
    }
  }

  private static InstalledVersion installed(
      Target target, FetchedArtifact artifact, ReleaseVariant variant) {
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
        assignment.release(),
        variant == null ? null : new InstalledVariant(variant.name(), variant.manifestDigest()));
  }
}
