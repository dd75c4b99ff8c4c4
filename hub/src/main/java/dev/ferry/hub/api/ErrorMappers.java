package dev.ferry.hub.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import dev.ferry.hub.db.DatabaseException;
import dev.ferry.protocol.api.ApiError;
import dev.ferry.protocol.json.FieldException;
import dev.ferry.protocol.json.JsonCodec;
import dev.ferry.protocol.json.MalformedMessageException;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Map;
import java.util.Optional;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;
import org.jboss.resteasy.reactive.server.core.multipart.MultipartParser;

/** Maps every failure to the one error body; never a stack trace in a response. */
public class ErrorMappers {
  private static final Logger LOG = Logger.getLogger(ErrorMappers.class);
  private static final int RETRY_AFTER_SECONDS = 1;
  private static final String REQUEST_BODY = "request body";

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

  /**
   * JSON that Quarkus's reader could not bind to the request's record (a value of the wrong type,
   * an array for an object): before, a 400 with no body.
   */
  @ServerExceptionMapper
  public Response unbound(MismatchedInputException e) {
    return invalid(JsonCodec.malformed(REQUEST_BODY, e));
  }

  @ServerExceptionMapper
  public Response web(WebApplicationException e) {
    int status = e.getResponse().getStatus();
    if (status == 400 && e.getCause() instanceof JsonProcessingException unreadable) {
      // malformed JSON, or a record's rule broken: before, "HTTP 400 Bad Request"
      return invalid(JsonCodec.malformed(REQUEST_BODY, unreadable));
    }
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
  public Response unexpected(Throwable e, HttpServerRequest request) {
    Optional<BodyFailure> body = BodyFailure.of(e, request.response().closed());
    if (body.isEmpty()) {
      return unexpected(e);
    }
    return switch (body.get()) {
      case CLIENT_GONE -> {
        // nobody hears the answer; what the request had sent so far was never stored
        LOG.infof(
            "%s %s: the client closed the connection before its request was read",
            request.method(), request.path());
        yield respond(ErrorCode.INVALID_REQUEST, "the request ended before its body did");
      }
      case STALLED -> {
        LOG.infof(
            "%s %s: the request's body stopped arriving and the read timed out",
            request.method(), request.path());
        yield respond(
            ErrorCode.INVALID_REQUEST,
            "the request's body stopped arriving: the hub's read timed out");
      }
      case INCOMPLETE_MULTIPART ->
          respond(
              ErrorCode.INVALID_REQUEST,
              "the multipart/form-data body ended before its closing boundary (--BOUNDARY--)");
    };
  }

  /** A multipart body whose delimiters or part headers do not parse: before, a 500. */
  @ServerExceptionMapper
  public Response malformedMultipart(MultipartParser.MalformedMessageException e) {
    return respond(
        ErrorCode.INVALID_REQUEST,
        "the multipart/form-data body is malformed: a part's delimiter or headers do not parse");
  }

  private static Response unexpected(Throwable e) {
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
