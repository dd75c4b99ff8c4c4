package dev.ferry.agent.fetch;

import dev.ferry.agent.failure.Reason;
import dev.ferry.agent.store.ContentStore;
import dev.ferry.protocol.json.JsonCodec;
import dev.ferry.protocol.json.MalformedMessageException;
import dev.ferry.protocol.oci.Annotations;
import dev.ferry.protocol.oci.Descriptor;
import dev.ferry.protocol.oci.Digest;
import dev.ferry.protocol.oci.DigestMismatchException;
import dev.ferry.protocol.oci.Index;
import dev.ferry.protocol.oci.Manifest;
import dev.ferry.protocol.oci.MediaTypes;
import dev.ferry.protocol.registry.BlobTooLargeException;
import dev.ferry.protocol.registry.RawManifest;
import dev.ferry.protocol.registry.RegistryClient;
import dev.ferry.protocol.registry.StalledTransferException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.function.LongConsumer;
import java.util.function.LongSupplier;

/**
 * Fetches a model artifact by its signed manifest digest into the content store: the manifest, then
 * the layers in parallel, each resumed from its partial file (also across agent restarts), cut at
 * its declared size, checked against its digest, and retried with backoff.
 */
public final class ArtifactFetcher {
  static final List<String> REQUIRED_FILES = List.of("model.onnx", "serving.json", "golden.json");
  private static final long GIVE_WAY_CHECK_MILLIS = 50;

  /** Told how far a fetch is; called from the download threads. */
  @FunctionalInterface
  public interface Progress {
    /**
     * @param done the bytes of the artifact's layers on disk, cached ones included
     * @param total the bytes of all its layers
     */
    void update(long done, long total);
  }

  private final ContentStore store;
  private final Function<String, RegistryClient> clients;
  private final Backoff backoff;
  private final ExecutorService executor;
  private final LongSupplier freeBytes;
  private final JsonCodec codec = new JsonCodec();
  // each blob downloading now, so that two fetches of it share one download
  private final Map<Digest, Download> inFlight = new ConcurrentHashMap<>();
  // a space check and the downloads it admits, one fetch at a time
  private final Object admission = new Object();

  /** A blob's download going on, told to every fetch that waits for it. */
  private final class Download {
    final Descriptor layer;
    final FutureTask<Path> task;
    private final List<LongConsumer> watchers = new CopyOnWriteArrayList<>();
    private long bytes;

    Download(RegistryClient client, RepositoryRef ref, Descriptor layer) {
      this.layer = layer;
      this.task = new FutureTask<>(() -> blob(client, ref, layer, this::bytes));
    }

    synchronized void watch(LongConsumer watcher) {
      watchers.add(watcher);
      if (bytes > 0) {
        watcher.accept(bytes); // a fetch that joins learns how far the download is
      }
    }

    private synchronized void bytes(long n) {
      bytes = n;
      watchers.forEach(watcher -> watcher.accept(n));
    }
  }

  /**
   * @param store the content store
   * @param clients the registry client for a registry {@code host[:port]}
   * @param backoff the retry policy
   * @param executor runs the layer downloads in parallel
   */
  public ArtifactFetcher(
      ContentStore store,
      Function<String, RegistryClient> clients,
      Backoff backoff,
      ExecutorService executor) {
    this(store, clients, backoff, executor, store::freeBytes);
  }

  /**
   * A fetcher that asks another probe how much space the cache has left (tests).
   *
   * @param store the content store
   * @param clients the registry client for a registry {@code host[:port]}
   * @param backoff the retry policy
   * @param executor runs the layer downloads in parallel
   * @param freeBytes bytes free on the cache's file system
   */
  public ArtifactFetcher(
      ContentStore store,
      Function<String, RegistryClient> clients,
      Backoff backoff,
      ExecutorService executor,
      LongSupplier freeBytes) {
    this.store = store;
    this.clients = clients;
    this.backoff = backoff;
    this.executor = executor;
    this.freeBytes = freeBytes;
  }

  /**
   * Fetches what the cache lacks of an artifact.
   *
   * @param reference the repository, {@code host[:port]/path}
   * @param manifestDigest the signed manifest digest
   * @param progress told the bytes on disk of the artifact's layers, summed
   * @return the cached artifact
   * @throws FetchException if it cannot be fetched; the reason says why
   * @throws InterruptedException if interrupted
   */
  public FetchedArtifact fetch(String reference, Digest manifestDigest, Progress progress)
      throws FetchException, InterruptedException {
    return fetch(reference, manifestDigest, progress, () -> false);
  }

  /**
   * Fetches what the cache lacks of an artifact, or stops waiting for it when told to give way: its
   * layer downloads then go on in the background, and a later fetch of the same blobs waits for
   * them instead of starting them again.
   *
   * @param reference the repository, {@code host[:port]/path}
   * @param manifestDigest the signed manifest digest
   * @param progress told the bytes on disk of the artifact's layers, summed (also of downloads
   *     begun by an earlier fetch that this one joins)
   * @param giveWay asked while the layers download: true stops waiting, a {@link Reason#DEFERRED}
   *     failure
   * @return the cached artifact
   * @throws FetchException if it cannot be fetched, or gave way; the reason says why
   * @throws InterruptedException if interrupted
   */
  public FetchedArtifact fetch(
      String reference, Digest manifestDigest, Progress progress, BooleanSupplier giveWay)
      throws FetchException, InterruptedException {
    RepositoryRef ref = RepositoryRef.parse(reference);
    RegistryClient client = clients.apply(ref.registry());
    Manifest manifest = manifest(client, ref, manifestDigest);
    Map<String, Descriptor> layers = layers(manifest, manifestDigest);
    // a download this fetch stops waiting for goes on telling no one
    AtomicBoolean waiting = new AtomicBoolean(true);
    List<Future<Path>> downloads;
    synchronized (admission) {
      requireSpace(layers.values());
      downloads =
          downloads(
              client,
              ref,
              layers.values(),
              (done, total) -> {
                if (waiting.get()) {
                  progress.update(done, total);
                }
              });
    }
    try {
      Map<String, Path> files = new LinkedHashMap<>();
      int i = 0;
      for (String path : layers.keySet()) {
        files.put(path, join(downloads.get(i++), giveWay, manifestDigest));
      }
      return new FetchedArtifact(manifest, files);
    } finally {
      waiting.set(false);
    }
  }

  /** The blobs downloading now, for this fetcher's callers or for one that stopped waiting. */
  public Set<Digest> downloading() {
    return Set.copyOf(inFlight.keySet());
  }

  /**
   * What of these artifacts the cache may hold and should keep for a fetch still to come: each
   * manifest or index itself and, for each manifest the cache holds, its config and layers (whole
   * or a partial download to resume). An artifact not cached yet adds only its own digest.
   *
   * @param manifests the digests of manifests and indexes still wanted
   * @return the blobs to keep for them
   */
  public Set<Digest> parts(Collection<Digest> manifests) {
    Set<Digest> parts = new HashSet<>(manifests);
    for (Digest digest : manifests) {
      Optional<Path> cached = store.blob(digest);
      if (cached.isEmpty()) {
        continue;
      }
      try {
        Manifest manifest = codec.decode(Files.readAllBytes(cached.get()), Manifest.class);
        if (manifest.config() != null) {
          parts.add(manifest.config().digest());
        }
        if (manifest.layers() != null) {
          manifest.layers().forEach(layer -> parts.add(layer.digest()));
        }
      } catch (IOException | MalformedMessageException notAManifest) {
        // an index (its variant's manifest is asked for apart), or a file the fetch will replace
      }
    }
    return parts;
  }

  /**
   * Stops the downloads still going: call when no fetch waits for them and nothing wants them any
   * more (a fetch stopped waiting, then the desired state moved on). Their partial files stay for
   * the cache's garbage collection, or for a later download to resume.
   */
  public void cancelDownloads() {
    inFlight.forEach(
        (digest, download) -> {
          download.task.cancel(true);
          inFlight.remove(digest, download);
        });
  }

  /**
   * Fetches what the cache lacks of one variant of a release with several: the signed image index,
   * which must list the variant's manifest, then that manifest and its layers only.
   *
   * @param reference the repository, {@code host[:port]/path}
   * @param indexDigest the signed index digest
   * @param variantDigest the signed digest of the chosen variant's manifest
   * @param progress told the bytes on disk of the variant's layers, summed
   * @return the cached variant
   * @throws FetchException if it cannot be fetched; the reason says why
   * @throws InterruptedException if interrupted
   */
  public FetchedArtifact fetchVariant(
      String reference, Digest indexDigest, Digest variantDigest, Progress progress)
      throws FetchException, InterruptedException {
    return fetchVariant(reference, indexDigest, variantDigest, progress, () -> false);
  }

  /**
   * Fetches one variant of a release with several, or stops waiting for it when told to give way
   * (as {@link #fetch(String, Digest, Progress, BooleanSupplier)} does).
   *
   * @param reference the repository, {@code host[:port]/path}
   * @param indexDigest the signed index digest
   * @param variantDigest the signed digest of the chosen variant's manifest
   * @param progress told the bytes on disk of the variant's layers, summed
   * @param giveWay asked while the layers download: true stops waiting
   * @return the cached variant
   * @throws FetchException if it cannot be fetched, or gave way; the reason says why
   * @throws InterruptedException if interrupted
   */
  public FetchedArtifact fetchVariant(
      String reference,
      Digest indexDigest,
      Digest variantDigest,
      Progress progress,
      BooleanSupplier giveWay)
      throws FetchException, InterruptedException {
    RepositoryRef ref = RepositoryRef.parse(reference);
    Index index = index(clients.apply(ref.registry()), ref, indexDigest);
    if (index.manifest(variantDigest) == null) {
      throw invalid(
          "index " + indexDigest + " does not list the variant manifest " + variantDigest);
    }
    return fetch(reference, variantDigest, progress, giveWay);
  }

  /**
   * Syncs what the fetches so far committed to the cache ({@link ContentStore#sync}) on a thread of
   * its own (not behind the downloads), so that the caller can load the artifact meanwhile and wait
   * only before it records it.
   *
   * @return done once the blobs are durable; failed with an {@link UncheckedIOException} if not
   */
  public CompletableFuture<Void> sync() {
    return CompletableFuture.runAsync(
        () -> {
          try {
            store.sync();
          } catch (IOException e) {
            throw new UncheckedIOException("cannot sync the cache: " + e.getMessage(), e);
          }
        },
        task -> {
          Thread thread = new Thread(task, "ferry-cache-sync");
          thread.setDaemon(true);
          thread.start();
        });
  }

  private Index index(RegistryClient client, RepositoryRef ref, Digest digest)
      throws FetchException, InterruptedException {
    try {
      return codec.decode(manifestBytes(client, ref, digest), Index.class);
    } catch (MalformedMessageException e) {
      throw new FetchException(
          Reason.INVALID_ARTIFACT, "index " + digest + ": " + e.getMessage(), e);
    } catch (IOException e) {
      throw failure("manifest " + digest, e);
    }
  }

  /**
   * Refuses before downloading what the cache's file system has no room for: a full disk is then a
   * clear, retried failure, not a download that dies part-way and is tried again in vain. What the
   * downloads going on still need is held for them (a fetch that joins one needs nothing more for
   * that blob), and a resumed download needs only what its partial file lacks.
   */
  private void requireSpace(Collection<Descriptor> layers) throws FetchException {
    long missing =
        layers.stream()
            .filter(layer -> !inFlight.containsKey(layer.digest()))
            .filter(layer -> store.blob(layer.digest()).isEmpty())
            .mapToLong(this::stillToWrite)
            .sum();
    long held =
        inFlight.values().stream()
            .map(download -> download.layer)
            .mapToLong(this::stillToWrite)
            .sum();
    long free = freeBytes.getAsLong();
    if (missing > free - held) {
      throw new FetchException(
          Reason.DISK_FULL,
          "the artifact needs "
              + missing
              + " bytes more in the cache, its file system has "
              + free
              + " free"
              + (held > 0 ? ", " + held + " of them held for the downloads going on" : ""),
          null);
    }
  }

  private long stillToWrite(Descriptor layer) {
    return Math.max(0, layer.size() - store.partialBytes(layer.digest()));
  }

  /**
   * Starts each layer's download, or joins the one of the same blob already going (two downloads
   * into one partial file would spoil it); progress sums the bytes of all of them.
   */
  private List<Future<Path>> downloads(
      RegistryClient client, RepositoryRef ref, Collection<Descriptor> layers, Progress progress) {
    long[] done = new long[layers.size()];
    long total = layers.stream().mapToLong(Descriptor::size).sum();
    List<Future<Path>> downloads = new ArrayList<>();
    for (Descriptor layer : layers) {
      int slot = downloads.size();
      LongConsumer onBytes =
          n -> {
            synchronized (done) {
              done[slot] = n;
              progress.update(Arrays.stream(done).sum(), total);
            }
          };
      Download download = new Download(client, ref, layer);
      Download going = inFlight.putIfAbsent(layer.digest(), download);
      if (going != null) {
        going.watch(onBytes);
        downloads.add(going.task);
        continue;
      }
      download.watch(onBytes);
      downloads.add(download.task);
      try {
        executor.execute(
            () -> {
              try {
                download.task.run();
              } finally {
                inFlight.remove(layer.digest(), download);
              }
            });
      } catch (RejectedExecutionException e) {
        inFlight.remove(layer.digest(), download);
        throw e; // the agent is stopping
      }
    }
    return downloads;
  }

  private Manifest manifest(RegistryClient client, RepositoryRef ref, Digest digest)
      throws FetchException, InterruptedException {
    try {
      return codec.decode(manifestBytes(client, ref, digest), Manifest.class);
    } catch (MalformedMessageException e) {
      throw new FetchException(
          Reason.INVALID_ARTIFACT, "manifest " + digest + ": " + e.getMessage(), e);
    } catch (IOException e) {
      throw failure("manifest " + digest, e);
    }
  }

  /** The manifest from the cache when it is intact there, else from the registry into the cache. */
  private byte[] manifestBytes(RegistryClient client, RepositoryRef ref, Digest digest)
      throws IOException, InterruptedException {
    Optional<Path> cached = cachedIntact(digest);
    if (cached.isPresent()) {
      return Files.readAllBytes(cached.get());
    }
    RawManifest raw =
        retrying(
            "manifest " + digest, () -> client.getManifest(ref.repository(), digest.toString()));
    Files.write(store.incomingFor(digest), raw.bytes());
    store.commit(digest);
    return raw.bytes();
  }

  private static Map<String, Descriptor> layers(Manifest manifest, Digest digest)
      throws FetchException {
    if (!MediaTypes.MODEL_ARTIFACT.equals(manifest.artifactType())) {
      throw invalid(
          "manifest "
              + digest
              + " has artifactType "
              + manifest.artifactType()
              + ", not "
              + MediaTypes.MODEL_ARTIFACT);
    }
    Map<String, Descriptor> layers = new LinkedHashMap<>();
    for (Descriptor layer : manifest.layers()) {
      layers.put(safePath(layer), layer);
    }
    for (String required : REQUIRED_FILES) {
      if (!layers.containsKey(required)) {
        throw invalid("manifest " + digest + " has no layer " + required);
      }
    }
    return layers;
  }

  private static String safePath(Descriptor layer) throws FetchException {
    String path = layer.annotations().get(Annotations.MODEL_FILEPATH);
    if (path == null || path.contains("/") || path.startsWith(".")) {
      throw invalid("layer " + layer.digest() + " has no safe file path: " + path);
    }
    return path;
  }

  private static FetchException invalid(String message) {
    return new FetchException(Reason.INVALID_ARTIFACT, message, null);
  }

  private Path blob(
      RegistryClient client, RepositoryRef ref, Descriptor layer, LongConsumer progress)
      throws FetchException, InterruptedException {
    try {
      Optional<Path> cached = cachedIntact(layer.digest());
      if (cached.isPresent()) {
        progress.accept(layer.size());
        return cached.get();
      }
      retrying(
          "blob " + layer.digest(),
          () ->
              client.pullBlob(
                  ref.repository(), layer, store.incomingFor(layer.digest()), progress));
      return store.commit(layer.digest());
    } catch (IOException e) {
      throw failure("blob " + layer.digest(), e);
    }
  }

  /** A cached blob whose content still matches its digest; an altered one is dropped. */
  private Optional<Path> cachedIntact(Digest digest) throws IOException {
    if (store.blob(digest).isEmpty()) {
      return Optional.empty();
    }
    try {
      return Optional.of(store.verify(digest));
    } catch (DigestMismatchException altered) {
      return Optional.empty();
    }
  }

  private interface Attempt<T> {
    T run() throws IOException;
  }

  private <T> T retrying(String what, Attempt<T> attempt) throws IOException, InterruptedException {
    for (int i = 0; ; i++) {
      try {
        return attempt.run();
      } catch (DigestMismatchException | BlobTooLargeException e) {
        throw e;
      } catch (InterruptedIOException e) {
        throw new InterruptedException(what + " interrupted");
      } catch (IOException e) {
        if (i + 1 >= backoff.attempts()) {
          throw e;
        }
        Thread.sleep(backoff.delay(i).toMillis());
      }
    }
  }

  private static FetchException failure(String what, IOException e) {
    Reason reason =
        e instanceof DigestMismatchException
            ? (what.startsWith("manifest") ? Reason.MANIFEST_MISMATCH : Reason.BLOB_MISMATCH)
            : e instanceof BlobTooLargeException
                ? Reason.BLOB_TOO_LARGE
                : e instanceof StalledTransferException ? Reason.STALLED : Reason.UNAVAILABLE;
    return new FetchException(reason, what + ": " + e.getMessage(), e);
  }

  private static Path join(Future<Path> download, BooleanSupplier giveWay, Digest artifact)
      throws FetchException, InterruptedException {
    try {
      while (true) {
        try {
          return download.get(GIVE_WAY_CHECK_MILLIS, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
          if (giveWay.getAsBoolean()) {
            throw new FetchException(
                Reason.DEFERRED,
                "stopped waiting for " + artifact + "; its download goes on",
                null);
          }
        }
      }
    } catch (ExecutionException e) {
      if (e.getCause() instanceof FetchException failure) {
        throw failure;
      }
      throw new FetchException(Reason.UNAVAILABLE, String.valueOf(e.getCause()), e.getCause());
    }
  }
}
