package dev.ferry.agent.serve;

/**
 * A model the agent is still loading from its cache as it starts: answered 503 with Retry-After, as
 * its readiness says it is not ready yet.
 */
public final class ModelRestoringException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /**
   * @param model the model's name
   */
  public ModelRestoringException(String model) {
    super("model '" + model + "' is loading from the device's cache as the agent starts; retry");
  }
}
