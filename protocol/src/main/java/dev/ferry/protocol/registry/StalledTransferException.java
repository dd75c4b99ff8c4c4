package dev.ferry.protocol.registry;

/** No byte arrived within the idle timeout; what was fetched so far is kept for a resume. */
public final class StalledTransferException extends RegistryException {
  private static final long serialVersionUID = 1L;

  StalledTransferException(String message) {
    super(0, message);
  }
}
