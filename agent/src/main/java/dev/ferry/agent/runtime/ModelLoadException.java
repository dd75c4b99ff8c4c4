package dev.ferry.agent.runtime;

/** ONNX Runtime cannot build a session from the model file. */
public final class ModelLoadException extends VersionRejectedException {
  private static final long serialVersionUID = 1L;

  public ModelLoadException(String message, Throwable cause) {
    super(message, cause);
  }
}
