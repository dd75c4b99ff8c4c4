package dev.ferry.protocol.registry;

/** The registry has no such manifest, blob or repository (404). */
public final class NotFoundException extends RegistryException {
  private static final long serialVersionUID = 1L;

  NotFoundException(String message) {
    super(404, message);
  }
}
