package dev.ferry.agent.serve;

import dev.ferry.agent.runtime.InferenceFailedException;
import dev.ferry.agent.runtime.InputRefusedException;
import dev.ferry.agent.runtime.ModelStoppedException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * Maps the failures of the REST resources to a status and an {@link ErrorBody} as {@link Refusal}
 * decides (the infer route, {@link InferRoute}, answers from the same), and what the REST layer
 * itself refuses to its own status.
 */
public final class ServeErrors {
  @ServerExceptionMapper
  public Response invalid(InvalidRequestException e) {
    return answer(e);
  }

  @ServerExceptionMapper
  public Response unknown(UnknownModelException e) {
    return answer(e);
  }

  @ServerExceptionMapper
  public Response restoring(ModelRestoringException e) {
    return answer(e);
  }

  @ServerExceptionMapper
  public Response stopped(ModelStoppedException e) {
    return answer(e);
  }

  @ServerExceptionMapper
  public Response refusedByModel(InputRefusedException e) {
    return answer(e);
  }

  @ServerExceptionMapper
  public Response overBudget(TensorBudgetException e) {
    return answer(e);
  }

  @ServerExceptionMapper
  public Response busy(TooManyInferencesException e) {
    return answer(e);
  }

  @ServerExceptionMapper
  public Response failed(InferenceFailedException e) {
    return answer(e);
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

  @ServerExceptionMapper
  public Response unreadable(IOException e) {
    return answer(e);
  }

  @ServerExceptionMapper
  public Response unexpected(Throwable e) {
    return answer(Refusal.unexpected(e));
  }

  private static Response answer(Throwable e) {
    return answer(Refusal.of(e));
  }

  private static Response answer(Refusal refusal) {
    Response.ResponseBuilder answer =
        Response.status(refusal.status()).entity(new ErrorBody(refusal.message()));
    refusal.headers().forEach(answer::header);
    return answer.build();
  }
}
