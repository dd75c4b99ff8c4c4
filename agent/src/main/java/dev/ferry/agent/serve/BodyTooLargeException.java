package dev.ferry.agent.serve;

/** A body without a declared length passed the size limit while it arrived. */
public final class BodyTooLargeException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  BodyTooLargeException(long limit) {
    super("request body is over the limit of " + limit + " bytes (" + BodyLimit.PROPERTY + ")");
  }
}
