package dev.ferry.agent.store;

import dev.ferry.protocol.oci.Digest;

/** A cached blob no longer hashes to its digest: it was altered on disk. */
public final class CorruptBlobException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final Digest expected;

  CorruptBlobException(Digest expected, Digest actual) {
    super(
        "cached blob "
            + expected
            + " has digest "
            + actual
            + "; removed it from the cache so that it is fetched again");
    this.expected = expected;
  }

  /** The digest the blob was stored under. */
  public Digest expected() {
    return expected;
  }
}
