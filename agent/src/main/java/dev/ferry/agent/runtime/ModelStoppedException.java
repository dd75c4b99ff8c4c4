package dev.ferry.agent.runtime;

/** A model that stopped serving (its only version was revoked): answered 404 with the message. */
public final class ModelStoppedException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /**
   * @param message names the model and why it stopped
   */
  public ModelStoppedException(String message) {
    super(message);
  }
}
