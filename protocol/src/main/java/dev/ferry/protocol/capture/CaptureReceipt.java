package dev.ferry.protocol.capture;

import dev.ferry.protocol.json.Fields;
import java.util.List;

/**
 * The hub's answer to a {@link CaptureUpload}: the ids it holds now, new or stored before. The
 * device deletes exactly those from its spool.
 *
 * @param stored the sample ids stored
 */
public record CaptureReceipt(List<String> stored) {
  /** Copies the list. */
  public CaptureReceipt {
    stored = Fields.list(Fields.required(stored, "stored"), "stored");
  }
}
