package dev.ferry.hub.registry;

import dev.ferry.protocol.oci.Digest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * Reads the {@link BlobStore}'s per-repository link folders when a manifest is deleted: which tags
 * point at it, which blobs the remaining manifests name, which content no repository holds.
 */
final class RepositoryLinks {
  private RepositoryLinks() {}

  /** Deletes the tags in {@code tags} that point at {@code digest}. */
  static void untag(Path tags, Digest digest) throws IOException {
    for (Path tag : list(tags)) {
      if (Files.readString(tag, StandardCharsets.UTF_8).strip().equals(digest.toString())) {
        Files.deleteIfExists(tag);
      }
    }
  }

  /** The blobs the manifests linked in {@code manifests} name. */
  static Set<Digest> namedBy(Path manifests, Function<Digest, Optional<Path>> files)
      throws IOException {
    Set<Digest> named = new HashSet<>();
    for (Path link : list(manifests)) {
      Digest digest = Digest.parse("sha256:" + link.getFileName());
      Optional<Path> file = files.apply(digest);
      if (file.isPresent()) {
        String mediaType = Files.readString(link, StandardCharsets.UTF_8).strip();
        named.addAll(ParsedManifest.parse(mediaType, Files.readAllBytes(file.get())).blobs());
      }
    }
    return named;
  }

  /** The digests among {@code candidates} that no repository under {@code root} links. */
  static Set<Digest> unheld(Path root, Set<Digest> candidates) throws IOException {
    Set<Digest> unheld = new HashSet<>(candidates);
    try (Stream<Path> dirs = Files.walk(root)) {
      for (Path dir : dirs.filter(RepositoryLinks::isLinkFolder).toList()) {
        unheld.removeIf(d -> Files.exists(dir.resolve(d.hex())));
      }
    }
    return unheld;
  }

  private static boolean isLinkFolder(Path dir) {
    String name = dir.getFileName().toString();
    return Files.isDirectory(dir) && (name.equals("_blobs") || name.equals("_manifests"));
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
