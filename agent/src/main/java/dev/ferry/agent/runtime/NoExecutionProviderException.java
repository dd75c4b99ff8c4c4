package dev.ferry.agent.runtime;

/** No execution provider is preferred, available on this device and allowed by the release. */
public final class NoExecutionProviderException extends VersionRejectedException {
  private static final long serialVersionUID = 1L;

  public NoExecutionProviderException(String message) {
    super(message);
  }
}
