package dev.ferry.hub.packaging;

/** A shapes hint such as {@code x=1,3,48,192} is malformed or does not fit the model's inputs. */
public final class InvalidShapeHintException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  InvalidShapeHintException(String message) {
    super(message);
  }
}
