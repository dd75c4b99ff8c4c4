package dev.ferry.protocol.device;

/** Where a device stands with one assigned model. */
public enum ModelStatus {
  /** Assigned, not yet started. */
  PENDING,
  /** Fetching the artifact. */
  DOWNLOADING,
  /** Checking digests, I/O signature and golden vectors. */
  VERIFYING,
  /** The desired version serves. */
  ACTIVE,
  /** The desired version could not be installed; the active one (if any) keeps serving. */
  FAILED,
  /** The desired version served but breached probation; the fallback serves again. */
  ROLLED_BACK
}
