package dev.ferry.agent.serve;

/** A request's tensors would take more memory than {@value TensorBudget#PROPERTY} allows. */
public final class TensorBudgetException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  TensorBudgetException(String message) {
    super(message);
  }
}
