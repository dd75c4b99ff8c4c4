package dev.ferry.agent.serve;

import dev.ferry.agent.config.AgentConfig;
import io.netty.buffer.ByteBuf;
import io.quarkus.runtime.configuration.MemorySize;
import io.quarkus.vertx.http.runtime.RouteConstants;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClosedException;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.StreamResetException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * OIP infer on a plain Vert.x route rather than a REST resource: the body is gathered in one pooled
 * direct buffer ({@link InferBody}) and parsed where it lies, binary inputs handed to ONNX Runtime
 * without a copy; the run goes to a worker thread, and the answer is written into a pooled direct
 * buffer the socket sends as it is. A model whose requests take almost nothing runs on the event
 * loop instead ({@link InlineDispatch}). Token, body size and concurrency are checked before, by
 * {@link ApiToken}, {@link BodyLimit} and {@link InferenceLimit}; failures are answered as {@link
 * Refusal} says, as on every other endpoint.
 */
@ApplicationScoped
public class InferRoute {
  private static final String MODEL = "/v2/models/:model";

  private final Inference inference;
  private final InferenceLimit limit;
  private final long maxBody;
  private final Duration bodyTimeout;
  private final InlineDispatch dispatch;

  InferRoute(
      Inference inference,
      InferenceLimit limit,
      InlineDispatch dispatch,
      AgentConfig config,
      @ConfigProperty(name = BodyLimit.PROPERTY) MemorySize maxBody) {
    this.inference = inference;
    this.limit = limit;
    this.dispatch = dispatch;
    Duration timeout = config.serve().bodyTimeout();
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException(
          BodyTimeoutException.PROPERTY + " must be a positive duration, got " + timeout);
    }
    this.maxBody = maxBody.asLongValue();
    this.bodyTimeout = timeout;
  }

  void install(@Observes Router router) {
    for (String path : new String[] {MODEL + "/infer", MODEL + "/versions/:version/infer"}) {
      router.post(path).order(RouteConstants.ROUTE_ORDER_BEFORE_DEFAULT).handler(this::receive);
      router
          .route(path)
          .order(RouteConstants.ROUTE_ORDER_BEFORE_DEFAULT + 1)
          .handler(InferRoute::notPost);
    }
  }

  /** Gathers the body ({@link InferBody}), then infers. */
  private void receive(RoutingContext context) {
    InferBody.read(
        context,
        maxBody,
        bodyTimeout,
        body -> infer(context, body),
        failure -> unread(context, failure));
  }

  /**
   * The body was not read: over the limit (the rest of it is thrown away and the connection closes
   * after the answer, {@link RefusedBody}), or the client went away (then nobody hears it).
   */
  private static void unread(RoutingContext context, Throwable failure) {
    if (context.response().closed() || clientGone(failure)) {
      return;
    }
    if (failure instanceof BodyTooLargeException || failure instanceof BodyTimeoutException) {
      RefusedBody.discardThenClose(context);
    }
    refuse(context.response(), Refusal.of(failure));
  }

  /**
   * The client went away mid-body: its connection closed, or, over HTTP/2, it reset the request's
   * stream (the response is not closed yet then, and an answer would fail).
   */
  private static boolean clientGone(Throwable failure) {
    return failure instanceof HttpClosedException || failure instanceof StreamResetException;
  }

  /** Any other method than POST on an infer path (a POST was answered by the route before). */
  private static void notPost(RoutingContext context) {
    context
        .response()
        .setStatusCode(405)
        .putHeader(HttpHeaders.ALLOW, "POST")
        .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
        .end(new JsonObject().put("error", "HTTP 405 Method Not Allowed").encode());
  }

  private void infer(RoutingContext context, InferBody body) {
    String model = context.pathParam("model");
    if (dispatch.inline(model, body.length())) {
      ResponseWriter.Answer answer;
      try {
        answer = answer(context, model, body);
      } catch (RuntimeException e) {
        refuse(context.response(), Refusal.of(e));
        return;
      }
      send(context.response(), answer);
      return;
    }
    AtomicBoolean ran = new AtomicBoolean();
    context
        .vertx()
        .<ResponseWriter.Answer>executeBlocking(
            () -> {
              ran.set(true);
              return answer(context, model, body);
            },
            false)
        .onComplete(
            done -> {
              if (done.succeeded()) {
                send(context.response(), done.result());
                return;
              }
              if (!ran.get()) {
                body.release(); // refused before it ran (Vert.x stops): answer() never freed it
              }
              refuse(context.response(), Refusal.of(done.cause()));
            });
  }

  /**
   * Runs the request while holding its permit, which a client that goes away does not free, and
   * counts its time for {@link InlineDispatch}; the body is released once its answer is written.
   */
  private ResponseWriter.Answer answer(RoutingContext context, String model, InferBody body) {
    long start = System.nanoTime();
    try (Admission.Hold running = limit.running(context)) {
      InferRequest request =
          RequestParser.parse(
              body.bytes(), context.request().getHeader(RequestParser.HEADER_LENGTH));
      InferAnswer answer = inference.infer(model, context.pathParam("version"), request);
      return ResponseWriter.write(answer.model(), answer.version(), request, answer.outputs());
    } finally {
      body.release();
      dispatch.took(model, System.nanoTime() - start);
    }
  }

  private static void send(HttpServerResponse response, ResponseWriter.Answer answer) {
    ByteBuf body = answer.body();
    try {
      response.putHeader(HttpHeaders.CONTENT_TYPE, answer.contentType());
      if (answer.headerLength() >= 0) {
        response.putHeader(RequestParser.HEADER_LENGTH, String.valueOf(answer.headerLength()));
      }
      response.end(Buffer.buffer(body)).onComplete(sent -> body.release());
    } catch (RuntimeException e) {
      // the client went away before the answer: nothing to send it to
      body.release();
    }
  }

  private static void refuse(HttpServerResponse response, Refusal refusal) {
    if (response.ended() || response.closed()) {
      return;
    }
    refusal.headers().forEach(response::putHeader);
    response
        .setStatusCode(refusal.status())
        .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
        .end(new JsonObject().put("error", refusal.message()).encode());
  }
}
