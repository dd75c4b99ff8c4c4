package dev.ferry.agent.serve;

import dev.ferry.agent.runtime.InferenceFailedException;
import dev.ferry.agent.runtime.InputRefusedException;
import dev.ferry.agent.runtime.ModelStoppedException;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.RejectedExecutionException;
import org.jboss.logging.Logger;

/**
 * What a failure of serving is answered with, whatever the transport: the caller's mistakes a 4xx,
 * anything else a 500 whose message never holds a stack trace (logged instead).
 *
 * @param status the HTTP status
 * @param message the {@link ErrorBody}'s text
 * @param headers headers to add (Retry-After)
 */
record Refusal(int status, String message, Map<String, String> headers) {
  private static final Logger LOG = Logger.getLogger(Refusal.class);

  /** The body of a 500 for a failure nobody foresaw; the details go to the log. */
  static final String INTERNAL_ERROR = "internal error";

  /** The body of a 503 for a request that came as the agent stopped. */
  static final String STOPPING = "the agent is stopping; retry later";

  Refusal {
    headers = Map.copyOf(headers);
  }

  Refusal(int status, String message) {
    this(status, message, Map.of());
  }

  /** The answer to a failure of an OIP operation. */
  static Refusal of(Throwable e) {
    if (e instanceof InvalidRequestException || e instanceof UnknownModelException) {
      return new Refusal(e instanceof UnknownModelException ? 404 : 400, e.getMessage());
    } else if (e instanceof ModelStoppedException) {
      // a model that stopped serving just as the request came: like one already gone
      return new Refusal(404, e.getMessage());
    } else if (e instanceof InputRefusedException refused) {
      return refusedByModel(refused);
    } else if (e instanceof TensorBudgetException || e instanceof BodyTooLargeException) {
      return new Refusal(413, e.getMessage());
    } else if (e instanceof BodyTimeoutException) {
      return new Refusal(408, e.getMessage());
    } else if (e instanceof TooManyInferencesException busy) {
      return busy(busy);
    } else if (e instanceof ModelRestoringException) {
      return new Refusal(
          503, e.getMessage(), Map.of("Retry-After", InferenceLimit.RETRY_AFTER_SECONDS));
    } else if (e instanceof InferenceFailedException failed) {
      return failed(failed);
    } else if (e instanceof IOException unreadable) {
      return unreadable(unreadable);
    } else if (e instanceof RejectedExecutionException) {
      // Vert.x refuses blocking work while it stops: not a defect, and a retry finds a live agent
      return new Refusal(503, STOPPING, Map.of("Retry-After", InferenceLimit.RETRY_AFTER_SECONDS));
    }
    return unexpected(e);
  }

  /** ONNX Runtime refused the request's values: the caller's mistake, so a 400. */
  private static Refusal refusedByModel(InputRefusedException e) {
    LOG.debug(e.getMessage());
    return new Refusal(400, e.getMessage());
  }

  /** The client went away before its inference started, and its permit went back: 503. */
  private static Refusal busy(TooManyInferencesException e) {
    return new Refusal(
        503, e.getMessage(), Map.of("Retry-After", InferenceLimit.RETRY_AFTER_SECONDS));
  }

  private static Refusal failed(InferenceFailedException e) {
    LOG.warn(e.getMessage());
    return new Refusal(500, e.getMessage());
  }

  /**
   * The request body could not be read: the client went away, or a chunked body passed the size
   * limit (Quarkus then has answered 413 itself, and this answer is not sent).
   */
  private static Refusal unreadable(IOException e) {
    LOG.debugf("request body not read: %s", e.getMessage());
    return new Refusal(400, "request body not read: " + e.getMessage());
  }

  /** Anything else is a defect: logged with its stack trace, answered with a plain 500. */
  static Refusal unexpected(Throwable e) {
    LOG.error("request failed on an unexpected error", e);
    return new Refusal(500, INTERNAL_ERROR);
  }
}
