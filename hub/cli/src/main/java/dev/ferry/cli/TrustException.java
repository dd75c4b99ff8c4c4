package dev.ferry.cli;

/** A key ceremony step that cannot be done as asked: a missing key, a threshold not met. */
final class TrustException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  TrustException(String message) {
    super(message);
  }
}
