package dev.ferry.hub.catalog;

/** Where a release stands: waiting for its signed statement, or published. */
public enum ReleaseState {
  /** Checked and packaged; its statement waits for the offline release key (not rollable). */
  PENDING_SIGNATURE,
  /** Signed, tagged and rollable. */
  PUBLISHED
}
