package dev.ferry.agent.capture;

import dev.ferry.protocol.capture.CaptureReceipt;
import dev.ferry.protocol.capture.CaptureSample;
import dev.ferry.protocol.json.MalformedMessageException;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;

/**
 * Sends spooled samples to the hub in chunks while it answers, oldest first. A sample leaves the
 * spool once the hub's receipt names it, so a crash or an outage sends it again later (the hub
 * stores each (device, sample id) once), or once the hub refused it alone: a refused chunk is sent
 * again sample by sample, the refused ones are dropped, counted and logged with the hub's reason,
 * and the ones behind them go on. Samples of a version whose capture was switched off since are
 * deleted unsent and counted withheld. After an outage the next try waits ({@link UploadBackoff}).
 */
public final class CaptureUploader {
  private static final Logger LOG = Logger.getLogger(CaptureUploader.class);

  /** Where chunks go: the hub's capture endpoint, as this device. */
  public interface Link {
    /**
     * Uploads a chunk as one {@link dev.ferry.protocol.capture.CaptureUpload}.
     *
     * @param chunk the samples, as spooled
     * @return the hub's receipt
     * @throws CaptureRefusedException if the hub refused the samples: they would be refused again
     * @throws IOException if the hub did not store them now and may later
     */
    CaptureReceipt send(List<SpooledSample> chunk) throws CaptureRefusedException, IOException;
  }

  private final CaptureSpool spool;
  private final CaptureMeters meters;
  private final UploadBackoff backoff;
  private final int chunkCount;
  private final long chunkBytes;
  private final Predicate<CaptureSample> withheld;
  private String lastReason;

  CaptureUploader(
      CaptureSpool spool,
      CaptureMeters meters,
      UploadBackoff backoff,
      int chunkCount,
      long chunkBytes,
      Predicate<CaptureSample> withheld) {
    this.spool = spool;
    this.meters = meters;
    this.backoff = backoff;
    this.chunkCount = chunkCount;
    this.chunkBytes = chunkBytes;
    this.withheld = withheld;
  }

  /**
   * Uploads until the spool is empty or the hub fails; does nothing while backing off.
   *
   * @param link the hub
   * @return true when the spool was emptied
   */
  public synchronized boolean drain(Link link) {
    if (!backoff.due()) {
      return false;
    }
    try {
      List<SpooledSample> chunk;
      while (!(chunk = spool.oldest(chunkCount, chunkBytes)).isEmpty()) {
        List<SpooledSample> sendable = withhold(chunk);
        if (!sendable.isEmpty() && !send(link, sendable)) {
          backoff.failed(Optional.empty());
          return false;
        }
      }
      backoff.succeeded();
      return true;
    } catch (UploadDeferredException e) {
      return later(e, e.retryAfter());
    } catch (IOException e) {
      return later(e, Optional.empty());
    }
  }

  /**
   * Deletes from the spool the samples to withhold and those that do not decode (sent, they would
   * hold the spool up for good: the hub refuses nothing it cannot read, and the same chunk failed
   * at every try); the others, to send.
   */
  private List<SpooledSample> withhold(List<SpooledSample> spooled) throws IOException {
    List<CaptureSample> withhold = new ArrayList<>();
    Set<String> unreadable = new HashSet<>();
    for (SpooledSample sample : spooled) {
      try {
        CaptureSample fields = sample.withoutTensors();
        if (withheld.test(fields)) {
          withhold.add(fields);
        }
      } catch (MalformedMessageException e) {
        unreadable.add(sample.id());
        LOG.warnf(
            "spooled capture sample %s does not decode, deleted unsent: %s",
            sample.id(), e.getMessage());
      }
    }
    if (withhold.isEmpty() && unreadable.isEmpty()) {
      return spooled;
    }
    Set<String> deleted = new HashSet<>(unreadable);
    withhold.forEach(sample -> deleted.add(sample.id()));
    spool.remove(List.copyOf(deleted));
    meters.unreadable.addAndGet(unreadable.size());
    meters.withheld.addAndGet(withhold.size());
    withhold.stream()
        .collect(Collectors.groupingBy(s -> s.model() + " " + s.version(), Collectors.counting()))
        .forEach(
            (version, count) ->
                LOG.infof(
                    "capture is switched off for %s: %d samples not yet uploaded deleted unsent",
                    version, count));
    return spooled.stream().filter(s -> !deleted.contains(s.id())).toList();
  }

  /** Sends a chunk; true when at least one of its samples left the spool, stored or refused. */
  private boolean send(Link link, List<SpooledSample> chunk) throws IOException {
    try {
      CaptureReceipt receipt = link.send(chunk);
      int removed = spool.remove(receipt.stored());
      meters.uploaded.addAndGet(removed);
      return removed > 0;
    } catch (CaptureRefusedException e) {
      return chunk.size() == 1 ? drop(chunk.get(0), e) : sendEach(link, chunk);
    }
  }

  private boolean sendEach(Link link, List<SpooledSample> chunk) throws IOException {
    boolean any = false;
    for (SpooledSample sample : chunk) {
      any |= send(link, List.of(sample));
    }
    return any;
  }

  private boolean drop(SpooledSample sample, CaptureRefusedException refusal) throws IOException {
    spool.remove(List.of(sample.id()));
    meters.refused.incrementAndGet();
    String reason = refusal.status() + " " + refusal.reason();
    String line = "capture sample %s %s dropped: %s";
    if (reason.equals(lastReason)) {
      LOG.debugf(line, sample.id(), what(sample), refusal.getMessage());
    } else {
      LOG.warnf(line, sample.id(), what(sample), refusal.getMessage());
    }
    lastReason = reason;
    return true;
  }

  /** The sample's model and version, for the log. */
  private static String what(SpooledSample sample) {
    CaptureSample fields = sample.withoutTensors();
    return "of " + fields.model() + " " + fields.version();
  }

  private boolean later(IOException e, Optional<Duration> retryAfter) {
    backoff.failed(retryAfter);
    LOG.debugf("captures kept for later, until %s: %s", backoff.notBefore(), e.getMessage());
    return false;
  }
}
