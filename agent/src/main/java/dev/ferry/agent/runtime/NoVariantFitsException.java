package dev.ferry.agent.runtime;

/** No variant of a release targets an execution provider this device can use. */
public final class NoVariantFitsException extends VersionRejectedException {
  private static final long serialVersionUID = 1L;

  public NoVariantFitsException(String message) {
    super(message);
  }
}
