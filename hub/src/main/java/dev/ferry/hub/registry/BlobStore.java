package dev.ferry.hub.registry;

import dev.ferry.protocol.files.AtomicFiles;
import dev.ferry.protocol.oci.Descriptor;
import dev.ferry.protocol.oci.Digest;
import dev.ferry.protocol.oci.DigestMismatchException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;

/**
 * The embedded registry's content-addressed filesystem store.
 *
 * <p>Layout under the root: {@code blobs/sha256/<hex>} (blobs and manifests alike), {@code
 * incoming/} (writes in progress), {@code referrers/<subject-hex>/<referrer-hex>}, and per
 * repository {@code repositories/<name>/} with {@code _blobs/<hex>} (empty: the repository holds
 * the blob), {@code _manifests/<hex>} (holds the media type) and {@code _tags/<tag>} (holds the
 * digest). The underscore keeps these apart from nested repository names, which cannot start with
 * one. The {@link LinkIndex} ({@code _refs/} per repository, {@code holders/}) tells which
 * manifests name a blob and which repositories hold it. Content is renamed in only once its digest
 * is known; every small file is replaced atomically. Thread-safe.
 */
public final class BlobStore {
  private final Path blobs;
  private final Path incoming;
  private final Path repositories;
  private final Referrers referrers;
  private final LinkIndex links;

  /**
   * Opens the store, creating its directories.
   *
   * @param root the store's root directory
   * @throws UncheckedIOException naming the directory if it cannot be created
   */
  public BlobStore(Path root) {
    this.blobs = root.resolve("blobs").resolve("sha256");
    this.incoming = root.resolve("incoming");
    this.repositories = root.resolve("repositories");
    this.referrers = new Referrers(root.resolve("referrers"));
    this.links = new LinkIndex(repositories, root.resolve("holders"));
    for (Path dir : List.of(blobs, incoming, repositories)) {
      try {
        Files.createDirectories(dir);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot create the registry directory " + dir, e);
      }
    }
    index(root.resolve("holders.indexed"));
  }

  /** Indexes a store made before the {@link LinkIndex}, once. */
  private void index(Path marker) {
    if (Files.exists(marker)) {
      return;
    }
    try {
      links.rebuild(this::blobsOf);
      AtomicFiles.touch(marker);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot index the registry under " + repositories, e);
    }
  }

  private List<Digest> blobsOf(Digest manifest, String mediaType) throws IOException {
    Optional<Path> file = blob(manifest);
    return file.isEmpty()
        ? List.of()
        : ParsedManifest.parse(mediaType, Files.readAllBytes(file.get())).blobs();
  }

  /**
   * Streams a blob into {@code repository}, at most {@code maxBytes} of it; nothing proportional to
   * its size is held in memory.
   *
   * @return its descriptor
   * @throws BlobExceedsLimitException if the stream is longer; nothing is kept
   */
  public Descriptor putBlob(String repository, String mediaType, InputStream in, long maxBytes)
      throws IOException {
    Names.requireRepository(repository);
    try (IncomingBlob blob = IncomingBlob.receive(incoming, in, maxBytes)) {
      return commitBlob(repository, mediaType, blob);
    }
  }

  /**
   * Copies a file into {@code repository} as a blob, checking it against {@code expected}.
   *
   * @return its descriptor
   * @throws DigestMismatchException if the file has another digest; nothing is kept
   */
  public Descriptor putBlob(String repository, String mediaType, Path file, Digest expected)
      throws IOException {
    Names.requireRepository(repository);
    try (InputStream in = Files.newInputStream(file);
        IncomingBlob blob = IncomingBlob.receive(incoming, in, Long.MAX_VALUE)) {
      if (!blob.digest().equals(expected)) {
        throw new DigestMismatchException("blob", expected, blob.digest());
      }
      return commitBlob(repository, mediaType, blob);
    }
  }

  /** Puts a small blob held in memory into {@code repository}; returns its descriptor. */
  public Descriptor putBlob(String repository, String mediaType, byte[] bytes) throws IOException {
    return putBlob(repository, mediaType, new ByteArrayInputStream(bytes), bytes.length);
  }

  private Descriptor commitBlob(String repository, String mediaType, IncomingBlob blob)
      throws IOException {
    Descriptor descriptor = Descriptor.of(mediaType, blob.digest(), blob.size());
    synchronized (this) {
      commit(blob);
      links.held(repository, blob.digest());
      AtomicFiles.touch(link(repository, "_blobs", blob.digest()));
    }
    return descriptor;
  }

  private void commit(IncomingBlob blob) throws IOException {
    if (!Files.exists(blobPath(blob.digest()))) {
      AtomicFiles.move(blob.file(), blobPath(blob.digest()));
    }
  }

  /** The file of a blob or manifest in any repository; the hub's own reads use this. */
  public Optional<Path> blob(Digest digest) {
    Path file = blobPath(digest);
    return Files.isRegularFile(file) ? Optional.of(file) : Optional.empty();
  }

  /** The file of a blob that {@code repository} holds; empty if absent or only in another. */
  public Optional<Path> blob(String repository, Digest digest) {
    Names.requireRepository(repository);
    return Files.exists(link(repository, "_blobs", digest)) ? blob(digest) : Optional.empty();
  }

  /**
   * Stores an OCI manifest or index exactly as given, tags it when {@code tagOrNull} is set, and
   * indexes it as a referrer when it has a subject. Every blob and manifest it names must already
   * be in {@code repository}; its subject need not be.
   *
   * @return the manifest's digest
   * @throws IllegalArgumentException if the manifest is malformed, of another media type, or names
   *     content the repository does not hold
   */
  public synchronized Digest putManifest(
      String repository, String tagOrNull, String mediaType, byte[] bytes) throws IOException {
    Names.requireRepository(repository);
    if (tagOrNull != null) {
      Names.requireTag(tagOrNull);
    }
    ParsedManifest parsed = ParsedManifest.parse(mediaType, bytes);
    requireHeld(repository, "_blobs", parsed.blobs());
    requireHeld(repository, "_manifests", parsed.manifests());
    Digest digest;
    try (IncomingBlob blob =
        IncomingBlob.receive(incoming, new ByteArrayInputStream(bytes), bytes.length)) {
      digest = blob.digest();
      commit(blob);
    }
    if (parsed.subject() != null) {
      referrers.add(
          parsed.subject().digest(),
          new Descriptor(
              mediaType, digest, bytes.length, parsed.annotations(), parsed.artifactType()));
    }
    links.named(repository, digest, parsed.blobs());
    links.held(repository, digest);
    AtomicFiles.write(link(repository, "_manifests", digest), utf8(mediaType));
    if (tagOrNull != null) {
      AtomicFiles.write(tagPath(repository, tagOrNull), utf8(digest.toString()));
    }
    return digest;
  }

  private void requireHeld(String repository, String kind, List<Digest> digests) {
    for (Digest digest : digests) {
      if (!Files.exists(link(repository, kind, digest))) {
        throw new IllegalArgumentException(
            "manifest names "
                + digest
                + ", which repository '"
                + repository
                + "' does not hold; put it first");
      }
    }
  }

  /**
   * A manifest of {@code repository} by tag or digest.
   *
   * @param reference a tag or a {@code sha256:} digest
   * @return the manifest, or empty if the repository has none by that reference
   * @throws IllegalArgumentException if the reference is neither a tag nor a digest
   */
  public Optional<StoredManifest> manifest(String repository, String reference) throws IOException {
    Names.requireRepository(repository);
    Optional<Digest> digest =
        reference != null && reference.contains(":")
            ? Optional.of(Digest.parse(reference))
            : tag(repository, reference);
    if (digest.isEmpty()) {
      return Optional.empty();
    }
    Optional<String> mediaType = read(link(repository, "_manifests", digest.get()));
    Optional<Path> file = blob(digest.get());
    if (mediaType.isEmpty() || file.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(
        new StoredManifest(digest.get(), mediaType.get(), Files.size(file.get()), file.get()));
  }

  /** The digest a tag of {@code repository} points at, if the tag exists. */
  public Optional<Digest> tag(String repository, String tag) throws IOException {
    Names.requireRepository(repository);
    Names.requireTag(tag);
    return read(tagPath(repository, tag)).map(Digest::parse);
  }

  /** Removes a tag; the manifest stays reachable by digest. Returns whether the tag existed. */
  public boolean deleteTag(String repository, String tag) throws IOException {
    Names.requireRepository(repository);
    Names.requireTag(tag);
    return Files.deleteIfExists(tagPath(repository, tag));
  }

  /**
   * Deletes a manifest from {@code repository}: the tags pointing at it, its link, the links of the
   * blobs it names that no other manifest of the repository names, and then every such file that no
   * repository holds any more. Content another repository or manifest holds stays. Reads only the
   * manifest, the repository's tags and the index entries of what it names.
   *
   * @return whether the repository held the manifest
   */
  public synchronized boolean deleteManifest(String repository, Digest digest) throws IOException {
    Optional<StoredManifest> stored = manifest(repository, digest.toString());
    if (stored.isEmpty()) {
      return false;
    }
    List<Digest> named = blobsOf(digest, stored.get().mediaType());
    LinkIndex.untag(repositories.resolve(repository).resolve("_tags"), digest);
    Files.delete(link(repository, "_manifests", digest));
    for (Digest blob : new HashSet<>(named)) {
      if (links.unnamed(repository, digest, blob)) {
        Files.deleteIfExists(link(repository, "_blobs", blob));
        release(repository, blob);
      }
    }
    release(repository, digest);
    return true;
  }

  /** Deletes the content's file once {@code repository}, without links to it, was its last. */
  private void release(String repository, Digest digest) throws IOException {
    boolean linked =
        Files.exists(link(repository, "_blobs", digest))
            || Files.exists(link(repository, "_manifests", digest));
    if (!linked && links.released(repository, digest)) {
      Files.deleteIfExists(blobPath(digest));
    }
  }

  /** Whether anything was ever put into {@code repository}. */
  public boolean hasRepository(String repository) {
    return Files.isDirectory(repositories.resolve(Names.requireRepository(repository)));
  }

  /**
   * The manifests of {@code repository} whose subject is {@code subject}, ordered by digest.
   *
   * @return their descriptors, with artifact type and annotations; empty when none
   */
  public List<Descriptor> referrers(String repository, Digest subject) throws IOException {
    Names.requireRepository(repository);
    List<Descriptor> found = new ArrayList<>();
    for (Descriptor referrer : referrers.list(subject)) {
      if (Files.exists(link(repository, "_manifests", referrer.digest()))) {
        found.add(referrer);
      }
    }
    return found;
  }

  private Path blobPath(Digest digest) {
    return blobs.resolve(digest.hex());
  }

  private Path link(String repository, String kind, Digest digest) {
    return repositories.resolve(repository).resolve(kind).resolve(digest.hex());
  }

  private Path tagPath(String repository, String tag) {
    return repositories.resolve(repository).resolve("_tags").resolve(tag);
  }

  private static Optional<String> read(Path file) throws IOException {
    try {
      return Optional.of(Files.readString(file, StandardCharsets.UTF_8).strip());
    } catch (NoSuchFileException e) {
      return Optional.empty();
    }
  }

  private static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
