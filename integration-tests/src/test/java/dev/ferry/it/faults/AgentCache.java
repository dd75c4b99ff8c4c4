package dev.ferry.it.faults;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.ferry.it.fleet.Oip;
import dev.ferry.protocol.oci.Digest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** What an agent's data directory holds after a crash: broken cache entries and debris. */
final class AgentCache {
  private final Path dataDir;

  AgentCache(Path dataDir) {
    this.dataDir = dataDir;
  }

  /** Cached blobs whose content does not hash to their name (a half-written blob). */
  List<String> corruptBlobs() throws IOException {
    List<String> corrupt = new ArrayList<>();
    for (Path blob : list(dataDir.resolve("blobs/sha256"))) {
      String name = blob.getFileName().toString();
      try {
        if (!Digest.of(blob).hex().equals(name)) {
          corrupt.add(name);
        }
      } catch (NoSuchFileException collected) {
        // the running agent's cache collection removed it meanwhile
      }
    }
    return corrupt;
  }

  /** Temporary files of atomic writes ({@code .<name>.<random>.tmp}) left in the data dir. */
  List<String> leftoverTemporaries() throws IOException {
    try (Stream<Path> files = Files.walk(dataDir)) {
      return files
          .map(file -> dataDir.relativize(file).toString())
          .filter(name -> name.endsWith(".tmp"))
          .toList();
    }
  }

  /** Whether state.json exists and is a complete JSON object. */
  boolean stateFileComplete() throws IOException {
    Path state = dataDir.resolve("state.json");
    if (!Files.isRegularFile(state)) {
      return false;
    }
    try {
      return Oip.JSON.readTree(state.toFile()).isObject();
    } catch (JsonProcessingException halfWritten) {
      return false;
    }
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
