package dev.ferry.hub.registry;

import dev.ferry.protocol.files.AtomicFiles;
import dev.ferry.protocol.json.JsonCodec;
import dev.ferry.protocol.oci.Descriptor;
import dev.ferry.protocol.oci.Digest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The referrers index: {@code referrers/<subject-hex>/<referrer-hex>} holds the referrer's
 * descriptor as JSON, so listing a subject's referrers reads one small directory.
 */
final class Referrers {
  private static final JsonCodec CODEC = new JsonCodec();

  private final Path dir;

  Referrers(Path dir) {
    this.dir = dir;
  }

  void add(Digest subject, Descriptor referrer) throws IOException {
    Path file = dir.resolve(subject.hex()).resolve(referrer.digest().hex());
    if (!Files.exists(file)) {
      AtomicFiles.write(file, CODEC.encode(referrer));
    }
  }

  /** The referrers of {@code subject}, ordered by digest; empty when it has none. */
  List<Descriptor> list(Digest subject) throws IOException {
    Path subjectDir = dir.resolve(subject.hex());
    if (!Files.isDirectory(subjectDir)) {
      return List.of();
    }
    List<Descriptor> found = new ArrayList<>();
    try (Stream<Path> files = Files.list(subjectDir)) {
      for (Path file : files.sorted().toList()) {
        if (!file.getFileName().toString().startsWith(".")) {
          found.add(CODEC.decode(Files.readAllBytes(file), Descriptor.class));
        }
      }
    }
    return found;
  }
}
