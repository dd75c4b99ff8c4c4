package dev.ferry.agent.capture;

import dev.ferry.protocol.capture.CaptureSample;
import dev.ferry.protocol.files.AtomicFiles;
import dev.ferry.protocol.json.JsonCodec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.jboss.logging.Logger;

/**
 * Samples not yet acknowledged by the hub, on disk under {@code <data-dir>/capture/}: one file per
 * sample ({@code <seq>.json}, written atomically, so a kill -9 leaves whole samples or none) and
 * {@code spool.state} with the spool's random epoch and a sequence number no sample has used.
 * Nothing is written before the first sample. A sample's id is {@code <epoch>-<seq>}: unique across
 * restarts, and across a wiped spool. The state is written with the first sample and again before
 * acknowledged samples are deleted, not with every sample: at the next start the sequence goes on
 * after both the state's number and the highest sample file left, so a number is never reused. When
 * a sample would exceed the byte budget it is refused (the caller counts it dropped): what waits is
 * kept.
 */
final class CaptureSpool {
  private static final Logger LOG = Logger.getLogger(CaptureSpool.class);

  /** The largest sample kept: an upload of one must stay under the hub's 16 MiB cap. */
  static final int MAX_SAMPLE_BYTES = 12 << 20;

  private static final Pattern FILE = Pattern.compile("(\\d{19})\\.json");
  private static final Pattern STATE = Pattern.compile("epoch=([0-9a-f]{12}) next=(\\d+)");

  private final Path dir;
  private final Path stateFile;
  private final long maxBytes;
  private final JsonCodec codec = new JsonCodec();
  private final TreeMap<Long, Long> sizes = new TreeMap<>();
  private String epoch;
  private boolean stateWritten;
  private long next = 1;
  private long bytes;

  /**
   * Opens the spool, reading what a previous run left.
   *
   * @param dir its folder
   * @param maxBytes the most its sample files may take
   */
  CaptureSpool(Path dir, long maxBytes) {
    this.dir = dir;
    this.stateFile = dir.resolve("spool.state");
    this.maxBytes = maxBytes;
    try {
      readState();
      if (Files.isDirectory(dir)) {
        scan();
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open the capture spool in " + dir, e);
    }
  }

  private void readState() throws IOException {
    Matcher state =
        Files.exists(stateFile) ? STATE.matcher(Files.readString(stateFile).strip()) : null;
    if (state != null && state.matches()) {
      epoch = state.group(1);
      next = Long.parseLong(state.group(2));
      stateWritten = true;
    } else {
      epoch = UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    }
  }

  private void scan() throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      for (Path file : files.toList()) {
        Matcher name = FILE.matcher(file.getFileName().toString());
        if (name.matches()) {
          long seq = Long.parseLong(name.group(1));
          sizes.put(seq, Files.size(file));
          bytes += Files.size(file);
          next = Math.max(next, seq + 1);
        } else if (file.getFileName().toString().endsWith(".tmp")) {
          Files.delete(file);
        }
      }
    }
  }

  private void writeState() throws IOException {
    AtomicFiles.write(
        stateFile, ("epoch=" + epoch + " next=" + next).getBytes(StandardCharsets.US_ASCII));
  }

  /** The id the next sample gets. */
  synchronized String nextId() {
    return id(next);
  }

  private String id(long seq) {
    return epoch + "-" + seq;
  }

  /**
   * Writes a sample made with {@link #nextId()}, unless it would exceed the budget.
   *
   * @param sample the sample
   * @return false when the spool is full, or the sample larger than {@link #MAX_SAMPLE_BYTES}, and
   *     it was not written
   */
  synchronized boolean append(CaptureSample sample) throws IOException {
    if (!sample.id().equals(nextId())) {
      throw new IllegalArgumentException("expected sample " + nextId() + ", got " + sample.id());
    }
    byte[] payload = codec.encode(sample);
    if (payload.length > MAX_SAMPLE_BYTES || bytes + payload.length > maxBytes) {
      return false;
    }
    if (!stateWritten) {
      // the epoch reaches the disk before the first sample that carries it in its id
      Files.createDirectories(dir);
      writeState();
      stateWritten = true;
    }
    AtomicFiles.write(file(next), payload);
    sizes.put(next, (long) payload.length);
    bytes += payload.length;
    next++;
    return true;
  }

  /**
   * The oldest samples waiting, up to a count and (after the first) a byte total, as their files
   * hold them.
   *
   * @param maxCount the most samples
   * @param maxTotal the most bytes, unless the first alone is larger
   * @return the samples, oldest first
   */
  synchronized List<SpooledSample> oldest(int maxCount, long maxTotal) throws IOException {
    List<SpooledSample> chunk = new ArrayList<>();
    long total = 0;
    var entries = sizes.entrySet().iterator();
    while (entries.hasNext()) {
      var entry = entries.next();
      if (chunk.size() == maxCount || (!chunk.isEmpty() && total + entry.getValue() > maxTotal)) {
        break;
      }
      try {
        chunk.add(read(entry.getKey()));
        total += entry.getValue();
      } catch (NoSuchFileException gone) {
        // deleted by hand: forgotten, so that the samples behind it still go
        LOG.warnf("spooled capture sample file %s is gone; forgotten", gone.getFile());
        entries.remove();
        bytes -= entry.getValue();
      }
    }
    return chunk;
  }

  private SpooledSample read(long seq) throws IOException {
    return new SpooledSample(id(seq), Files.readAllBytes(file(seq)));
  }

  /**
   * Removes acknowledged samples.
   *
   * @param ids the ids the hub stored
   * @return how many were removed
   */
  synchronized int remove(List<String> ids) throws IOException {
    if (stateWritten) {
      // the files about to go no longer show how far the sequence went: the state must
      writeState();
    }
    int removed = 0;
    for (String id : ids) {
      Long seq = seqOf(id);
      Long size = seq == null ? null : sizes.remove(seq);
      if (size != null) {
        bytes -= size;
        Files.deleteIfExists(file(seq));
        removed++;
      }
    }
    return removed;
  }

  private Long seqOf(String id) {
    String prefix = epoch + "-";
    if (!id.startsWith(prefix)) {
      return null;
    }
    try {
      return Long.parseLong(id.substring(prefix.length()));
    } catch (NumberFormatException e) {
      return null;
    }
  }

  /** The samples waiting. */
  synchronized int waiting() {
    return sizes.size();
  }

  /** The bytes the sample files take. */
  synchronized long bytes() {
    return bytes;
  }

  private Path file(long seq) {
    return dir.resolve(String.format("%019d.json", seq));
  }
}
