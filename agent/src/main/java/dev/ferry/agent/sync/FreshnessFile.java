package dev.ferry.agent.sync;

import dev.ferry.protocol.files.AtomicFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * {@code <data-dir>/last-fresh.txt}: when the agent last accepted a desired state, as an ISO-8601
 * instant written atomically, so that an agent restarted during a freeze attack still turns STALE
 * on time.
 */
final class FreshnessFile {
  private static final Logger LOG = Logger.getLogger(FreshnessFile.class);

  /** The file name in the data directory. */
  static final String NAME = "last-fresh.txt";

  /** More than any instant takes: a longer file is not one this agent wrote. */
  private static final long MAX_BYTES = 64;

  private final Path file;

  FreshnessFile(Path dataDir) {
    this.file = dataDir.resolve(NAME);
  }

  /**
   * The time recorded; empty, with a log line saying so, when the file is missing or corrupt.
   *
   * @return the last time a desired state was accepted, as recorded
   */
  Optional<Instant> read() {
    try {
      AtomicFiles.deleteLeftovers(file);
      if (Files.size(file) > MAX_BYTES) {
        throw new IOException("longer than " + MAX_BYTES + " bytes");
      }
      return Optional.of(Instant.parse(Files.readString(file, StandardCharsets.US_ASCII).strip()));
    } catch (NoSuchFileException e) {
      LOG.infof("%s is missing: freshness is unknown, counted from the agent's start", file);
    } catch (IOException | DateTimeParseException e) {
      LOG.warnf(
          "%s is corrupt (%s): freshness is unknown, counted from the agent's start",
          file, e.getMessage());
    }
    return Optional.empty();
  }

  /**
   * Records the time atomically.
   *
   * @param at when a desired state was accepted
   * @throws IOException if it cannot be written; the file then keeps the previous time
   */
  void write(Instant at) throws IOException {
    AtomicFiles.write(file, (at + "\n").getBytes(StandardCharsets.US_ASCII));
  }

  @Override
  public String toString() {
    return file.toString();
  }
}
