package dev.ferry.hub.registry;

import java.io.IOException;

/** A blob streamed into the store was longer than the caller allowed; nothing of it is kept. */
public final class BlobExceedsLimitException extends IOException {
  private static final long serialVersionUID = 1L;

  BlobExceedsLimitException(long maxBytes) {
    super("blob exceeds the limit of " + maxBytes + " bytes");
  }
}
