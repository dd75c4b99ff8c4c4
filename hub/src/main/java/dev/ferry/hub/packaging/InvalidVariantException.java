package dev.ferry.hub.packaging;

/** The variants of a publish request do not fit together (names, inputs, outputs). */
public final class InvalidVariantException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  InvalidVariantException(String message) {
    super(message);
  }
}
