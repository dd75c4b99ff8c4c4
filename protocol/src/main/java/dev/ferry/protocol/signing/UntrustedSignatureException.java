package dev.ferry.protocol.signing;

/**
 * An envelope is not signed by enough trusted keys, has the wrong payload type, or a trust root
 * update breaks the rotation rules. The message says which keys were unknown and which signatures
 * failed.
 */
public final class UntrustedSignatureException extends SecurityException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message what failed
   */
  public UntrustedSignatureException(String message) {
    super(message);
  }
}
