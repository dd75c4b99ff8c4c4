package dev.ferry.protocol.signing;

import java.time.Instant;

/** A trust root is past its {@code expiresAt}: nothing it vouches for may be accepted any more. */
public final class ExpiredRootException extends SecurityException {
  private static final long serialVersionUID = 1L;

  /** The expired root's version. */
  private final int version;

  /**
   * Creates the exception.
   *
   * @param version the expired root's version
   * @param expiresAt when it expired
   */
  public ExpiredRootException(int version, Instant expiresAt) {
    super("trust root version " + version + " expired at " + expiresAt);
    this.version = version;
  }

  /** The expired root's version. */
  public int version() {
    return version;
  }
}
