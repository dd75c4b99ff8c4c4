package dev.ferry.agent.runtime;

/**
 * ONNX Runtime refused a request's values as invalid arguments (an index out of range, say): the
 * request's fault, so it is a 4xx and never counts against the version.
 */
public final class InputRefusedException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public InputRefusedException(String message, Throwable cause) {
    super(message, cause);
  }
}
