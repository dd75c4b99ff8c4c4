package dev.ferry.agent.runtime;

/** The model's inputs or outputs differ from those serving.json declares. */
public final class SignatureMismatchException extends VersionRejectedException {
  private static final long serialVersionUID = 1L;

  public SignatureMismatchException(String message) {
    super(message);
  }
}
