package dev.ferry.agent.trust;

/** The hub's chain of trust roots breaks a rotation rule, is too long, or ends expired. */
public final class RefusedRootChainException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  RefusedRootChainException(String message) {
    super(message);
  }
}
