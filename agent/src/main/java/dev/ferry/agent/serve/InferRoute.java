package dev.ferry.agent.serve;

import io.netty.buffer.ByteBuf;
import io.quarkus.runtime.configuration.MemorySize;
import io.quarkus.vertx.http.runtime.RouteConstants;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * OIP infer on a plain Vert.x route rather than a REST resource: the body is gathered in one buffer
 * of its declared length and parsed where it lies, the run goes to a worker thread, and the answer
 * is written into a pooled direct buffer the socket sends as it is. A model whose requests take
 * almost nothing runs on the event loop instead ({@link InlineDispatch}). Token, body size and
 * concurrency are checked before, by {@link ApiToken}, {@link BodyLimit} and {@link
 * InferenceLimit}; failures are answered as {@link Refusal} says, as on every other endpoint.
 */
@ApplicationScoped
public class InferRoute {
  private static final String MODEL = "/v2/models/:model";

  private final Inference inference;
  private final InferenceLimit limit;
  private final long maxBody;
  private final InlineDispatch dispatch = new InlineDispatch();

  InferRoute(
      Inference inference,
      InferenceLimit limit,
      @ConfigProperty(name = BodyLimit.PROPERTY) MemorySize maxBody) {
    this.inference = inference;
    this.limit = limit;
    this.maxBody = maxBody.asLongValue();
  }

  void install(@Observes Router router) {
    BodyHandler body =
        BodyHandler.create(false).setBodyLimit(maxBody).setPreallocateBodyBuffer(true);
    for (String path : new String[] {MODEL + "/infer", MODEL + "/versions/:version/infer"}) {
      router
          .post(path)
          .order(RouteConstants.ROUTE_ORDER_BEFORE_DEFAULT)
          .handler(body)
          .handler(this::infer);
      router
          .route(path)
          .order(RouteConstants.ROUTE_ORDER_BEFORE_DEFAULT + 1)
          .handler(InferRoute::notPost);
    }
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

  private void infer(RoutingContext context) {
    String model = context.pathParam("model");
    if (dispatch.inline(model, context.body().length())) {
      ResponseWriter.Answer answer;
      try {
        answer = answer(context, model);
      } catch (RuntimeException e) {
        refuse(context.response(), Refusal.of(e));
        return;
      }
      send(context.response(), answer);
      return;
    }
    context
        .vertx()
        .<ResponseWriter.Answer>executeBlocking(() -> answer(context, model), false)
        .onComplete(
            done -> {
              if (done.succeeded()) {
                send(context.response(), done.result());
              } else {
                refuse(context.response(), Refusal.of(done.cause()));
              }
            });
  }

  /**
   * Runs the request while holding its permit, which a client that goes away does not free, and
   * counts its time for {@link InlineDispatch}.
   */
  private ResponseWriter.Answer answer(RoutingContext context, String model) {
    long start = System.nanoTime();
    try (Admission.Hold running = limit.running(context)) {
      InferRequest request =
          RequestParser.parse(
              bytes(context.body().buffer()),
              context.request().getHeader(RequestParser.HEADER_LENGTH));
      InferAnswer answer = inference.infer(model, context.pathParam("version"), request);
      return ResponseWriter.write(answer.model(), answer.version(), request, answer.outputs());
    } finally {
      dispatch.took(model, System.nanoTime() - start);
    }
  }

  /**
   * The body's bytes: its buffer's own array when that holds exactly the body, as it usually does.
   */
  private static byte[] bytes(Buffer body) {
    if (body == null) {
      return new byte[0];
    }
    ByteBuf bytes = body.getByteBuf();
    if (bytes.hasArray()
        && bytes.arrayOffset() + bytes.readerIndex() == 0
        && bytes.array().length == bytes.readableBytes()) {
      return bytes.array();
    }
    return body.getBytes();
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
