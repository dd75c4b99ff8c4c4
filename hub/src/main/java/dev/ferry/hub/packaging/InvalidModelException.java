package dev.ferry.hub.packaging;

/**
 * A published file is not an ONNX model the hub can serve: it does not load, or its I/O is not
 * tensors.
 */
public final class InvalidModelException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  InvalidModelException(String message) {
    super(message);
  }

  InvalidModelException(String message, Throwable cause) {
    super(message, cause);
  }
}
