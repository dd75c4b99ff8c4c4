package dev.ferry.agent.serve;

import io.quarkus.runtime.configuration.MemorySize;
import io.quarkus.vertx.http.runtime.RouteConstants;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Refuses a request whose declared body is over {@code quarkus.http.limits.max-body-size} with 413
 * and an OIP error body, just before Quarkus's own check would answer with an empty one.
 */
@ApplicationScoped
public class BodyLimit {
  static final String PROPERTY = "quarkus.http.limits.max-body-size";

  private final long limit;

  BodyLimit(@ConfigProperty(name = PROPERTY) MemorySize limit) {
    this.limit = limit.asLongValue();
  }

  void install(@Observes Router router) {
    router.route().order(RouteConstants.ROUTE_ORDER_UPLOAD_LIMIT - 1).handler(this::check);
  }

  private void check(RoutingContext context) {
    long declared = declaredLength(context.request());
    if (declared <= limit) {
      context.next();
    } else {
      refuse(context, declared);
    }
  }

  /**
   * 413 with the error body; the connection closes, as the body is never read ({@link
   * RefusedBody}).
   */
  private void refuse(RoutingContext context, long declared) {
    String error =
        "request body of "
            + declared
            + " bytes is over the limit of "
            + limit
            + " ("
            + PROPERTY
            + ")";
    RefusedBody.discardThenClose(context);
    context
        .response()
        .setStatusCode(413)
        .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
        .end(new JsonObject().put("error", error).encode());
  }

  /** The Content-Length, or -1 when the request has none (a chunked body) or an unreadable one. */
  private static long declaredLength(HttpServerRequest request) {
    String length = request.getHeader(HttpHeaders.CONTENT_LENGTH);
    try {
      return length == null ? -1 : Long.parseLong(length.trim());
    } catch (NumberFormatException e) {
      return -1;
    }
  }
}
