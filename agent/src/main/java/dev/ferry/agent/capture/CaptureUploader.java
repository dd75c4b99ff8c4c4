package dev.ferry.agent.capture;

import dev.ferry.protocol.capture.CaptureReceipt;
import dev.ferry.protocol.capture.CaptureSample;
import dev.ferry.protocol.capture.CaptureUpload;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * Sends spooled samples to the hub in chunks while it answers, oldest first. A sample leaves the
 * spool only once the hub's receipt names it, so a crash or an outage sends it again later; the hub
 * stores each (device, sample id) once.
 */
public final class CaptureUploader {
  private static final Logger LOG = Logger.getLogger(CaptureUploader.class);

  /** Where chunks go: the hub's capture endpoint, as this device. */
  public interface Link {
    /**
     * Uploads a chunk.
     *
     * @param upload the samples
     * @return the hub's receipt
     * @throws Exception if the hub did not store them
     */
    CaptureReceipt send(CaptureUpload upload) throws Exception;
  }

  private final CaptureSpool spool;
  private final Link link;
  private final CaptureMeters meters;
  private final int chunkCount;
  private final long chunkBytes;

  CaptureUploader(
      CaptureSpool spool, Link link, CaptureMeters meters, int chunkCount, long chunkBytes) {
    this.spool = spool;
    this.link = link;
    this.meters = meters;
    this.chunkCount = chunkCount;
    this.chunkBytes = chunkBytes;
  }

  /**
   * Uploads until the spool is empty or the hub fails.
   *
   * @return true when the spool was emptied
   */
  public synchronized boolean drain() {
    try {
      List<CaptureSample> chunk;
      while (!(chunk = spool.oldest(chunkCount, chunkBytes)).isEmpty()) {
        CaptureReceipt receipt = link.send(new CaptureUpload(chunk));
        int removed = spool.remove(receipt.stored());
        meters.uploaded.addAndGet(removed);
        if (removed == 0) {
          return false;
        }
      }
      return true;
    } catch (Exception e) {
      LOG.debugf("captures kept for later: %s", e.getMessage());
      return false;
    }
  }
}
