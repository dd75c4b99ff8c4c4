package dev.ferry.agent.sync;

/** A version's serving.json describes another model than the one it is installed as. */
final class ServingSpecMismatchException extends Exception {
  private static final long serialVersionUID = 1L;

  ServingSpecMismatchException(String specModel, String model) {
    super("serving.json is for model " + specModel + ", not " + model);
  }
}
