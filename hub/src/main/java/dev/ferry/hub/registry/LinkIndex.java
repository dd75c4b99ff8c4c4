package dev.ferry.hub.registry;

import dev.ferry.protocol.files.AtomicFiles;
import dev.ferry.protocol.oci.Digest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * The {@link BlobStore}'s reverse links, so that deleting a manifest reads and deletes only what it
 * names: {@code repositories/<name>/_refs/<blob-hex>/<manifest-hex>} (that manifest of the
 * repository names that blob) and {@code holders/<hex>/<name with + for />} (the repository links
 * that content as a blob or a manifest). Entries are written before the links they stand for and
 * deleted after them, so after a crash the index may only claim too much, which keeps content
 * rather than losing it. A store made before the index is indexed once when opened.
 */
final class LinkIndex {
  private static final String REFS = "_refs";

  private final Path repositories;
  private final Path holders;

  LinkIndex(Path repositories, Path holders) {
    this.repositories = repositories;
    this.holders = holders;
  }

  /** Notes that {@code repository} links {@code digest}; before the link is made. */
  void held(String repository, Digest digest) throws IOException {
    AtomicFiles.touch(holders.resolve(digest.hex()).resolve(key(repository)));
  }

  /** Notes that a manifest of {@code repository} names {@code blobs}; before it is linked. */
  void named(String repository, Digest manifest, List<Digest> blobs) throws IOException {
    for (Digest blob : blobs) {
      AtomicFiles.touch(refs(repository, blob).resolve(manifest.hex()));
    }
  }

  /**
   * Drops a deleted manifest's naming of a blob.
   *
   * @return whether no manifest of the repository names the blob any more
   */
  boolean unnamed(String repository, Digest manifest, Digest blob) throws IOException {
    Path refs = refs(repository, blob);
    Files.deleteIfExists(refs.resolve(manifest.hex()));
    return deleteIfEmpty(refs);
  }

  /**
   * Drops {@code repository}'s hold on content whose links it no longer has.
   *
   * @return whether no repository holds the content any more
   */
  boolean released(String repository, Digest digest) throws IOException {
    Path held = holders.resolve(digest.hex());
    Files.deleteIfExists(held.resolve(key(repository)));
    return deleteIfEmpty(held);
  }

  /** Indexes every link a store holds; run when the index is missing. */
  void rebuild(ManifestBlobs manifests) throws IOException {
    for (Path folder : linkFolders()) {
      String repository = repositories.relativize(folder.getParent()).toString();
      for (Path link : list(folder)) {
        Digest digest = Digest.parse("sha256:" + link.getFileName());
        held(repository, digest);
        if (folder.getFileName().toString().equals("_manifests")) {
          String mediaType = Files.readString(link, StandardCharsets.UTF_8).strip();
          named(repository, digest, manifests.blobs(digest, mediaType));
        }
      }
    }
  }

  /** Deletes the tags in {@code tags} that point at {@code digest}. */
  static void untag(Path tags, Digest digest) throws IOException {
    for (Path tag : list(tags)) {
      if (Files.readString(tag, StandardCharsets.UTF_8).strip().equals(digest.toString())) {
        Files.deleteIfExists(tag);
      }
    }
  }

  /** The blobs a stored manifest names; none when its file is gone. */
  interface ManifestBlobs {
    List<Digest> blobs(Digest manifest, String mediaType) throws IOException;
  }

  private List<Path> linkFolders() throws IOException {
    try (Stream<Path> dirs = Files.walk(repositories)) {
      return dirs.filter(LinkIndex::isLinkFolder).toList();
    }
  }

  private static boolean isLinkFolder(Path dir) {
    String name = dir.getFileName().toString();
    return Files.isDirectory(dir) && (name.equals("_blobs") || name.equals("_manifests"));
  }

  private Path refs(String repository, Digest blob) {
    return repositories.resolve(repository).resolve(REFS).resolve(blob.hex());
  }

  /** A repository name as one file name: {@code +} cannot occur in one. */
  private static String key(String repository) {
    return repository.replace('/', '+');
  }

  private static boolean deleteIfEmpty(Path dir) throws IOException {
    if (!list(dir).isEmpty()) {
      return false;
    }
    Files.deleteIfExists(dir);
    return true;
  }

  private static List<Path> list(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(dir)) {
      return files.toList();
    }
  }
}
