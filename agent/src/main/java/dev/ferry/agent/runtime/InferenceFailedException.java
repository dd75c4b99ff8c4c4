package dev.ferry.agent.runtime;

/** ONNX Runtime failed while running a request that passed validation. */
public final class InferenceFailedException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public InferenceFailedException(String message, Throwable cause) {
    super(message, cause);
  }
}
