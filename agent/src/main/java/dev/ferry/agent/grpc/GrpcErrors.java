package dev.ferry.agent.grpc;

import dev.ferry.agent.runtime.InferenceFailedException;
import dev.ferry.agent.runtime.InputRefusedException;
import dev.ferry.agent.serve.InvalidRequestException;
import dev.ferry.agent.serve.ModelRestoringException;
import dev.ferry.agent.serve.TensorBudgetException;
import dev.ferry.agent.serve.UnknownModelException;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.concurrent.RejectedExecutionException;
import org.jboss.logging.Logger;

/**
 * Maps every failure to a gRPC status, in one place, as {@code ServeErrors} does to HTTP: a 400 is
 * INVALID_ARGUMENT, a 404 NOT_FOUND, a 413 of the tensor budget RESOURCE_EXHAUSTED, and a 500
 * INTERNAL whose description never holds a stack trace; work refused as the agent stops, and a
 * model still loading as it starts (REST's 503s), are UNAVAILABLE.
 */
final class GrpcErrors {
  private static final Logger LOG = Logger.getLogger(GrpcErrors.class);

  /** The description of a failure nobody foresaw; the details go to the log. */
  static final String INTERNAL_ERROR = "internal error";

  /** The description of a request that came as the agent stopped. */
  static final String STOPPING = "the agent is stopping; retry later";

  private GrpcErrors() {}

  static StatusRuntimeException status(RuntimeException e) {
    if (e instanceof StatusRuntimeException given) {
      return given;
    }
    return code(e).withDescription(description(e)).asRuntimeException();
  }

  private static Status code(RuntimeException e) {
    if (e instanceof InvalidRequestException || e instanceof InputRefusedException) {
      return Status.INVALID_ARGUMENT;
    }
    if (e instanceof UnknownModelException) {
      return Status.NOT_FOUND;
    }
    if (e instanceof TensorBudgetException) {
      return Status.RESOURCE_EXHAUSTED;
    }
    if (e instanceof RejectedExecutionException || e instanceof ModelRestoringException) {
      // Vert.x refuses blocking work while it stops, or the model still loads: REST's 503
      return Status.UNAVAILABLE;
    }
    return Status.INTERNAL;
  }

  /** The exception's message, logged as REST logs it; a defect's stays in the log. */
  private static String description(RuntimeException e) {
    if (e instanceof InputRefusedException) {
      LOG.debug(e.getMessage());
    } else if (e instanceof InferenceFailedException) {
      LOG.warn(e.getMessage());
    } else if (e instanceof RejectedExecutionException) {
      return STOPPING;
    } else if (code(e) == Status.INTERNAL) {
      LOG.error("gRPC request failed on an unexpected error", e);
      return INTERNAL_ERROR;
    }
    return e.getMessage();
  }
}
