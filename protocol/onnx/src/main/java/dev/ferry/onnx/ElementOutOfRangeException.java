package dev.ferry.onnx;

/** A tensor element is not a value of the tensor's datatype: out of range, or not whole. */
public final class ElementOutOfRangeException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  ElementOutOfRangeException(String message) {
    super(message);
  }
}
