package dev.ferry.protocol.registry;

/** The registry served more bytes than the descriptor declares; the transfer was cut. */
public final class BlobTooLargeException extends RegistryException {
  private static final long serialVersionUID = 1L;

  BlobTooLargeException(String message) {
    super(0, message);
  }
}
