package dev.ferry.hub.api;

import dev.ferry.hub.db.DatabaseException;
import dev.ferry.protocol.api.ApiError;
import dev.ferry.protocol.json.FieldException;
import dev.ferry.protocol.json.MalformedMessageException;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Map;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Maps every failure to the one error body; never a stack trace in a response. */
public class ErrorMappers {
  private static final Logger LOG = Logger.getLogger(ErrorMappers.class);
  private static final int RETRY_AFTER_SECONDS = 1;

  @ServerExceptionMapper
  public Response api(ApiException e) {
    return respond(e.code(), e.body());
  }

  @ServerExceptionMapper({FieldException.class, MalformedMessageException.class})
  public Response invalid(IllegalArgumentException e) {
    return respond(ErrorCode.INVALID_REQUEST, e.getMessage());
  }

  @ServerExceptionMapper({UnauthorizedException.class, AuthenticationFailedException.class})
  public Response unauthenticated(RuntimeException e) {
    return Response.fromResponse(
            respond(
                ErrorCode.UNAUTHENTICATED,
                "a valid bearer token is required (Authorization: Bearer <token>)"))
        .header("WWW-Authenticate", "Bearer realm=\"ferry-hub\"")
        .build();
  }

  @ServerExceptionMapper
  public Response forbidden(ForbiddenException e) {
    return respond(ErrorCode.FORBIDDEN, "this token's role may not do this");
  }

  @ServerExceptionMapper
  public Response web(WebApplicationException e) {
    int status = e.getResponse().getStatus();
    ErrorCode code =
        status == 404
            ? ErrorCode.NOT_FOUND
            : status == 413
                ? ErrorCode.TOO_LARGE
                : status >= 500 ? ErrorCode.INTERNAL : ErrorCode.INVALID_REQUEST;
    if (status >= 500) {
      LOG.error("request failed", e);
    }
    return Response.fromResponse(respond(code, e.getMessage())).status(status).build();
  }

  /** Contention (a lock wait that timed out, a deadlock) is retryable: 503 with Retry-After. */
  @ServerExceptionMapper
  public Response database(DatabaseException e) {
    if (!e.isContention()) {
      return unexpected(e);
    }
    LOG.warnf("request deferred, the database is busy: %s", e.getMessage());
    return Response.fromResponse(
            respond(
                ErrorCode.UNAVAILABLE,
                "the hub's database is busy with concurrent requests: retry after "
                    + RETRY_AFTER_SECONDS
                    + " s"))
        .header("Retry-After", RETRY_AFTER_SECONDS)
        .build();
  }

  @ServerExceptionMapper(priority = 10_000)
  public Response unexpected(Throwable e) {
    LOG.error("unexpected failure", e);
    return respond(ErrorCode.INTERNAL, "internal error; the hub's log has the details");
  }

  private static Response respond(ErrorCode code, String message) {
    return respond(code, new ApiError(code.name(), message, Map.of()));
  }

  private static Response respond(ErrorCode code, ApiError error) {
    return Response.status(code.status()).type(MediaType.APPLICATION_JSON).entity(error).build();
  }
}
