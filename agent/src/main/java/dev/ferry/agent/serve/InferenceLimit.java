package dev.ferry.agent.serve;

import dev.ferry.agent.config.AgentConfig;
import io.quarkus.vertx.http.runtime.RouteConstants;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Bounds the inferences in progress, their bodies included: one beyond {@value #PROPERTY} is
 * answered 503 with {@code Retry-After} before its body is read, so memory stays within the limit
 * times the body limit. A permit is given back once both the exchange and the inference have ended:
 * a client that goes away does not free a permit while its inference still runs.
 */
@ApplicationScoped
public class InferenceLimit {
  static final String PROPERTY = "ferry.agent.serve.max-concurrent";
  static final String RETRY_AFTER_SECONDS = "1";
  private static final String ADMISSION = InferenceLimit.class.getName();

  private final int max;
  private final Semaphore permits;
  private final AtomicLong abandoned = new AtomicLong();

  InferenceLimit(AgentConfig config) {
    this.max = config.serve().maxConcurrent();
    if (max < 1) {
      throw new IllegalArgumentException(PROPERTY + " must be at least 1, got " + max);
    }
    this.permits = new Semaphore(max);
  }

  void install(@Observes Router router) {
    router
        // the infer routes' paths, which Vert.x matches with a trailing slash too
        .routeWithRegex(HttpMethod.POST, "/v2/models/.+/infer/?")
        .order(RouteConstants.ROUTE_ORDER_UPLOAD_LIMIT - 2)
        .handler(this::admit);
  }

  /** The permits, for tests that hold them all. */
  Semaphore permits() {
    return permits;
  }

  /** Exchanges that ended (the client went away) while their inference still ran. */
  long abandoned() {
    return abandoned.get();
  }

  /**
   * Marks the inference of an admitted request as running until the returned hold is closed.
   *
   * @param exchange the request's routing context
   * @return the hold to close when the inference has ended
   * @throws TooManyInferencesException if the exchange already ended and gave its permit back
   */
  Admission.Hold running(RoutingContext exchange) {
    Admission admission = exchange.get(ADMISSION);
    if (admission == null) {
      return () -> {};
    }
    if (!admission.start()) {
      throw new TooManyInferencesException(refusal());
    }
    return admission::finish;
  }

  /** Takes a permit for one inference, if one is free; {@link #release} gives it back. */
  public boolean tryAdmit() {
    return permits.tryAcquire();
  }

  /** Gives back a permit {@link #tryAdmit} took. */
  public void release() {
    permits.release();
  }

  /** Why a request found no permit. */
  public String refusal() {
    return max + " inferences are running, the limit (" + PROPERTY + "); retry later";
  }

  private void admit(RoutingContext context) {
    if (!tryAdmit()) {
      refuse(context);
      return;
    }
    Admission admission = new Admission(permits::release, abandoned::incrementAndGet);
    context.put(ADMISSION, admission);
    context.addEndHandler(done -> admission.exchangeEnded());
    context.next();
  }

  private void refuse(RoutingContext context) {
    context
        .response()
        .setStatusCode(503)
        .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
        .putHeader(HttpHeaders.RETRY_AFTER, RETRY_AFTER_SECONDS)
        .end(new JsonObject().put("error", refusal()).encode());
  }
}
