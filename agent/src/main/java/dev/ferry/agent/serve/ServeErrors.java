package dev.ferry.agent.serve;

import dev.ferry.agent.runtime.InferenceFailedException;
import jakarta.ws.rs.core.Response;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Maps serving failures to a status and an {@link ErrorBody}, in one place. */
public final class ServeErrors {
  private static final Logger LOG = Logger.getLogger(ServeErrors.class);

  @ServerExceptionMapper
  public Response invalid(InvalidRequestException e) {
    return answer(Response.Status.BAD_REQUEST, e.getMessage());
  }

  @ServerExceptionMapper
  public Response unknown(UnknownModelException e) {
    return answer(Response.Status.NOT_FOUND, e.getMessage());
  }

  @ServerExceptionMapper
  public Response failed(InferenceFailedException e) {
    LOG.warn(e.getMessage());
    return answer(Response.Status.INTERNAL_SERVER_ERROR, e.getMessage());
  }

  private static Response answer(Response.Status status, String message) {
    return Response.status(status).entity(new ErrorBody(message)).build();
  }
}
