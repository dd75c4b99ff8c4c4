package dev.ferry.agent.serve;

import java.time.Duration;

/** A request's body did not all arrive within its time. */
public final class BodyTimeoutException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** The property the time is read from. */
  static final String PROPERTY = "ferry.agent.serve.body-timeout";

  BodyTimeoutException(Duration timeout, long received) {
    super(
        "request body not received within "
            + timeout.toSeconds()
            + " s ("
            + PROPERTY
            + "): "
            + received
            + " bytes came");
  }
}
