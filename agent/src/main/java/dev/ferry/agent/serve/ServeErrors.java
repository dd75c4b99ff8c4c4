package dev.ferry.agent.serve;

import dev.ferry.agent.runtime.InferenceFailedException;
import dev.ferry.agent.runtime.InputRefusedException;
import dev.ferry.agent.runtime.ModelStoppedException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * Maps every failure to a status and an {@link ErrorBody}, in one place: the caller's mistakes to a
 * 4xx, anything else to a 500 whose body never holds a stack trace.
 */
public final class ServeErrors {
  private static final Logger LOG = Logger.getLogger(ServeErrors.class);

  /** The body of a 500 for a failure nobody foresaw; the details go to the log. */
  static final String INTERNAL_ERROR = "internal error";

  @ServerExceptionMapper
  public Response invalid(InvalidRequestException e) {
    return answer(Response.Status.BAD_REQUEST, e.getMessage());
  }

  @ServerExceptionMapper
  public Response unknown(UnknownModelException e) {
    return answer(Response.Status.NOT_FOUND, e.getMessage());
  }

  /** A model that stopped serving just as the request came: 404, like one already gone. */
  @ServerExceptionMapper
  public Response stopped(ModelStoppedException e) {
    return answer(Response.Status.NOT_FOUND, e.getMessage());
  }

  /** ONNX Runtime refused the request's values: the caller's mistake, so a 400. */
  @ServerExceptionMapper
  public Response refusedByModel(InputRefusedException e) {
    LOG.debug(e.getMessage());
    return answer(Response.Status.BAD_REQUEST, e.getMessage());
  }

  @ServerExceptionMapper
  public Response overBudget(TensorBudgetException e) {
    return answer(Response.Status.REQUEST_ENTITY_TOO_LARGE, e.getMessage());
  }

  /** The client went away before its inference started, and its permit went back: 503. */
  @ServerExceptionMapper
  public Response busy(TooManyInferencesException e) {
    return Response.fromResponse(answer(Response.Status.SERVICE_UNAVAILABLE, e.getMessage()))
        .header("Retry-After", InferenceLimit.RETRY_AFTER_SECONDS)
        .build();
  }

  @ServerExceptionMapper
  public Response failed(InferenceFailedException e) {
    LOG.warn(e.getMessage());
    return answer(Response.Status.INTERNAL_SERVER_ERROR, e.getMessage());
  }

  /** What the REST layer refuses (404, 405, 406, 413, 415…): its status, headers kept. */
  @ServerExceptionMapper
  public Response refused(WebApplicationException e) {
    Response refused = e.getResponse();
    if (refused.getStatus() >= 500) {
      return unexpected(e);
    }
    String message = e.getMessage() != null ? e.getMessage() : refused.getStatusInfo().toString();
    return Response.fromResponse(refused)
        .type(MediaType.APPLICATION_JSON_TYPE)
        .entity(new ErrorBody(message))
        .build();
  }

  /**
   * The request body could not be read: the client went away, or a chunked body passed the size
   * limit (Quarkus then has answered 413 itself, and this answer is not sent).
   */
  @ServerExceptionMapper
  public Response unreadable(IOException e) {
    LOG.debugf("request body not read: %s", e.getMessage());
    return answer(Response.Status.BAD_REQUEST, "request body not read: " + e.getMessage());
  }

  /** Anything else is a defect: logged with its stack trace, answered with a plain 500. */
  @ServerExceptionMapper
  public Response unexpected(Throwable e) {
    LOG.error("request failed on an unexpected error", e);
    return answer(Response.Status.INTERNAL_SERVER_ERROR, INTERNAL_ERROR);
  }

  private static Response answer(Response.Status status, String message) {
    return Response.status(status).entity(new ErrorBody(message)).build();
  }
}
