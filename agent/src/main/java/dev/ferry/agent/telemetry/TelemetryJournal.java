package dev.ferry.agent.telemetry;

import dev.ferry.protocol.files.AtomicFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Telemetry batches not yet delivered, on disk under {@code <data-dir>/telemetry/}: one file per
 * batch ({@code <seq>.json}, written atomically) and {@code journal.state} with the next sequence
 * number and the count of batches dropped so far. When the files exceed the bound the oldest are
 * dropped and counted; sequence numbers keep increasing across restarts.
 */
final class TelemetryJournal {
  private static final Pattern BATCH = Pattern.compile("(\\d{19})\\.json");
  private static final Pattern STATE = Pattern.compile("next=(\\d+) dropped=(\\d+)");

  private final Path dir;
  private final Path stateFile;
  private final long maxBytes;
  private final TreeMap<Long, Long> sizes = new TreeMap<>();
  private long bytes;
  private long next;
  private long dropped;

  /**
   * Opens the journal, reading what a previous run left.
   *
   * @param dir its folder
   * @param maxBytes the most its batch files may take on disk
   */
  TelemetryJournal(Path dir, long maxBytes) {
    this.dir = dir;
    this.stateFile = dir.resolve("journal.state");
    this.maxBytes = maxBytes;
    try {
      Files.createDirectories(dir);
      next = 1;
      if (Files.exists(stateFile)) {
        Matcher state = STATE.matcher(Files.readString(stateFile).strip());
        if (state.matches()) {
          next = Long.parseLong(state.group(1));
          dropped = Long.parseLong(state.group(2));
        }
      }
      try (Stream<Path> files = Files.list(dir)) {
        for (Path file : files.toList()) {
          Matcher name = BATCH.matcher(file.getFileName().toString());
          if (name.matches()) {
            long seq = Long.parseLong(name.group(1));
            long size = Files.size(file);
            sizes.put(seq, size);
            bytes += size;
            next = Math.max(next, seq + 1);
          } else if (file.getFileName().toString().endsWith(".tmp")) {
            Files.delete(file);
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open the telemetry journal in " + dir, e);
    }
  }

  /** The sequence number the next batch gets. */
  synchronized long nextSeq() {
    return next;
  }

  /** Batches dropped so far because the journal was full. */
  synchronized long dropped() {
    return dropped;
  }

  /** Bytes the batch files take. */
  synchronized long bytes() {
    return bytes;
  }

  /**
   * Adds the batch with the next sequence number, then drops the oldest while over the bound.
   *
   * @param seq its sequence number, from {@link #nextSeq()}
   * @param payload the encoded batch
   */
  synchronized void append(long seq, byte[] payload) throws IOException {
    if (seq != next) {
      throw new IllegalArgumentException("expected batch " + next + ", got " + seq);
    }
    AtomicFiles.write(file(seq), payload);
    sizes.put(seq, (long) payload.length);
    bytes += payload.length;
    next = seq + 1;
    while (bytes > maxBytes && !sizes.isEmpty()) {
      remove(sizes.firstKey());
      dropped++;
    }
    AtomicFiles.write(
        stateFile, ("next=" + next + " dropped=" + dropped).getBytes(StandardCharsets.US_ASCII));
  }

  /**
   * Drops the oldest batches until one of this size fits under the bound.
   *
   * @param size the size of the batch about to be appended
   */
  synchronized void makeRoom(long size) throws IOException {
    while (bytes + size > maxBytes && !sizes.isEmpty()) {
      remove(sizes.firstKey());
      dropped++;
    }
  }

  /** The batch with this sequence number, if it still waits. */
  synchronized Optional<byte[]> read(long seq) throws IOException {
    return sizes.containsKey(seq) ? Optional.of(Files.readAllBytes(file(seq))) : Optional.empty();
  }

  /** Removes a delivered (or dropped) batch. */
  synchronized void remove(long seq) throws IOException {
    Long size = sizes.remove(seq);
    if (size != null) {
      bytes -= size;
      Files.deleteIfExists(file(seq));
    }
  }

  /** The sequence numbers waiting, oldest first. */
  synchronized List<Long> waiting() {
    return new ArrayList<>(sizes.keySet());
  }

  private Path file(long seq) {
    return dir.resolve(String.format("%019d.json", seq));
  }
}
