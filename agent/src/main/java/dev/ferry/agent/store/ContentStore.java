package dev.ferry.agent.store;

import dev.ferry.protocol.files.AtomicFiles;
import dev.ferry.protocol.oci.Digest;
import dev.ferry.protocol.oci.DigestMismatchException;
import dev.ferry.protocol.registry.RegistryClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The content-addressed cache under the data directory: {@code blobs/sha256/<hex>}, with downloads
 * landing in {@code incoming/} and moved in only once verified.
 *
 * <p>It remembers each blob this process verified (hashed, or committed from a verified download)
 * by its {@link FileStamp}, and hands it out again without hashing while the stamp still holds: a
 * file written, replaced or resized since is hashed again. (A writer that puts back the same size
 * and modification time on the same file is not seen until the agent restarts.)
 *
 * <p>A committed blob reaches the storage device at the next {@link #sync}, which whoever records
 * it (state.json) calls first. A blob torn by a crash before that is not trusted: after a restart
 * every blob is hashed before it is handed out, and one that no longer matches is fetched again.
 */
public final class ContentStore {
  private static final Pattern INCOMING = Pattern.compile("([0-9a-f]{64})(\\.part)?");

  private final Path blobs;
  private final Path incoming;
  private final Map<Digest, FileStamp> verified = new ConcurrentHashMap<>();
  private final Set<Digest> unsynced = ConcurrentHashMap.newKeySet();

  /**
   * Opens the cache, creating its directories.
   *
   * @param dataDir the agent's data directory
   * @throws UncheckedIOException if the directories cannot be created
   */
  public ContentStore(Path dataDir) {
    this.blobs = dataDir.resolve("blobs").resolve("sha256");
    this.incoming = dataDir.resolve("incoming");
    try {
      Files.createDirectories(blobs);
      Files.createDirectories(incoming);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "ferry.agent.data-dir: cannot create the cache under " + dataDir + " (" + e + ")", e);
    }
  }

  /** Bytes free for downloads on the cache's file system ({@code statvfs}, as {@code df} says). */
  public long freeBytes() {
    return incoming.toFile().getUsableSpace();
  }

  /**
   * Where a download of a blob lands; the registry client writes {@code <this>.part} beside it and
   * renames it here once size and digest match.
   *
   * @param digest the blob's digest
   * @return {@code incoming/<hex>}
   */
  public Path incomingFor(Digest digest) {
    return incoming.resolve(digest.hex());
  }

  /**
   * How much of a blob an earlier or ongoing download already holds on disk.
   *
   * @param digest the blob's digest
   * @return the bytes of its partial file, 0 if none
   */
  public long partialBytes(Digest digest) {
    try {
      return Files.size(RegistryClient.partOf(incomingFor(digest)));
    } catch (IOException e) {
      return 0; // none yet, or just renamed into the cache
    }
  }

  /**
   * Moves a verified download into the cache, renamed atomically; it is durable after the next
   * {@link #sync}.
   *
   * @param digest the blob's digest, already verified by the download
   * @return the cached blob
   * @throws IOException if there is no such download or the move fails
   */
  public Path commit(Digest digest) throws IOException {
    Path source = incomingFor(digest);
    Path target = blobs.resolve(digest.hex());
    Files.move(source, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    unsynced.add(digest);
    remember(digest, FileStamp.of(target));
    return target;
  }

  /**
   * Syncs the blobs committed since the last sync to the storage device, then the cache's
   * directory, so that they survive a crash; call it before a record names them.
   *
   * @return how many blobs were synced (not counting those collected since their commit)
   * @throws IOException if a blob cannot be synced
   */
  public int sync() throws IOException {
    List<Digest> committed = List.copyOf(unsynced);
    int synced = 0;
    for (Digest digest : committed) {
      try {
        AtomicFiles.force(blobs.resolve(digest.hex()));
        synced++;
      } catch (NoSuchFileException collected) {
        // collected since its commit: nothing to keep
      }
    }
    AtomicFiles.syncDirectory(blobs);
    unsynced.removeAll(committed);
    return synced;
  }

  /**
   * A cached blob.
   *
   * @param digest the blob's digest
   * @return its path, or empty when it is not cached
   */
  public Optional<Path> blob(Digest digest) {
    Path path = blobs.resolve(digest.hex());
    return Files.isRegularFile(path) ? Optional.of(path) : Optional.empty();
  }

  /**
   * Re-hashes a cached blob, unless this process verified it and it is unchanged since (same file,
   * size and modification time); one that was altered on disk is removed so it is fetched again.
   *
   * @param digest the blob's digest
   * @return its path when it is intact
   * @throws DigestMismatchException if its content no longer matches
   * @throws java.nio.file.NoSuchFileException if it is not cached
   * @throws IOException if it cannot be read
   */
  public Path verify(Digest digest) throws IOException {
    Path path = blobs.resolve(digest.hex());
    FileStamp before = FileStamp.of(path);
    if (before.equals(verified.get(digest))) {
      return path;
    }
    Digest actual = Digest.of(path);
    if (!actual.equals(digest)) {
      verified.remove(digest);
      Files.deleteIfExists(path);
      throw new DigestMismatchException(
          "cached blob", digest, actual, "removed it from the cache so that it is fetched again");
    }
    // written while it was hashed: not remembered, so the next caller hashes it again
    if (before.equals(FileStamp.of(path))) {
      remember(digest, before);
    }
    return path;
  }

  private void remember(Digest digest, FileStamp stamp) {
    if (stamp.identifiable()) {
      verified.put(digest, stamp);
    }
  }

  /**
   * Deletes every cached blob not in {@code keep}, and every incoming file (finished or partial)
   * that is not a download of a digest in {@code keep}, so wanted partial downloads resume.
   *
   * @param keep the digests still referenced or wanted
   * @return what was removed
   * @throws IOException if a directory cannot be listed or a file deleted
   */
  public Collected gc(Set<Digest> keep) throws IOException {
    Set<String> wanted = hexes(keep);
    List<Path> blobsGone =
        list(blobs).stream()
            .filter(blob -> !wanted.contains(blob.getFileName().toString()))
            .toList();
    List<Path> incomingGone =
        list(incoming).stream().filter(file -> !wantedDownload(file, wanted)).toList();
    long bytes = 0;
    verified.keySet().removeIf(digest -> !wanted.contains(digest.hex()));
    unsynced.removeIf(digest -> !wanted.contains(digest.hex()));
    for (Path file : blobsGone) {
      bytes += delete(file);
    }
    for (Path file : incomingGone) {
      bytes += delete(file);
    }
    return new Collected(blobsGone.size(), incomingGone.size(), bytes);
  }

  private static boolean wantedDownload(Path file, Set<String> wanted) {
    Matcher name = INCOMING.matcher(file.getFileName().toString());
    return name.matches() && wanted.contains(name.group(1));
  }

  private static Set<String> hexes(Set<Digest> digests) {
    return Set.copyOf(digests.stream().map(Digest::hex).toList());
  }

  private static List<Path> list(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.toList();
    }
  }

  private static long delete(Path file) throws IOException {
    long size = Files.isRegularFile(file) ? Files.size(file) : 0;
    Files.deleteIfExists(file);
    return size;
  }
}
