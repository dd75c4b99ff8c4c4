package dev.ferry.agent.serve;

/** More inferences than {@code ferry.agent.serve.max-concurrent}: answered 503, Retry-After. */
public final class TooManyInferencesException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  TooManyInferencesException(String message) {
    super(message);
  }
}
