package dev.ferry.hub.packaging;

/** A published model keeps a tensor's data outside its file, which the hub never reads. */
public final class ExternalDataException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  ExternalDataException(String message) {
    super(message);
  }
}
