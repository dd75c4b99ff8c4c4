package dev.ferry.agent.serve;

import io.netty.handler.codec.http2.Http2Error;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import io.vertx.ext.web.RoutingContext;
import java.util.concurrent.TimeUnit;

/**
 * Ends the exchange of a request whose body is refused unread (over the body limit, or too slow to
 * come) once its answer is sent, after reading and throwing away what the client still sends: until
 * the body has all come, nothing came for {@value #IDLE_MILLIS} ms, or {@value #MOST_MILLIS} ms
 * have passed. Over HTTP/1 the connection then closes ({@code Connection: close} in the answer says
 * so). Over HTTP/2 only the request's stream ends, reset with NO_ERROR if the body had not all come
 * (RFC 9113, section 8.1), and the connection goes on; at the time limit the client is given no
 * more window, and the stream is reset once nothing has come for the idle time.
 *
 * <p>Closing on bytes not read makes the kernel reset the connection, and the reset can overtake
 * the answer: a client that sends its whole body before it reads (no {@code Expect: 100-continue},
 * as Java's and Python's clients do) would see a reset instead of the 413 that names the limit.
 * This is nginx's lingering close. Over HTTP/2 the stream is not reset while frames still come:
 * Netty answers each with a reset of its own, and ends a connection that sends many, its other
 * streams with it. The response's own handlers are left alone: the routing context's end handlers
 * (the inference permit's among them) still run when the answer is sent.
 */
final class RefusedBody {
  static final long IDLE_MILLIS = 2_000;
  static final long MOST_MILLIS = 30_000;

  private final RoutingContext context;
  private final boolean http2;
  private final long deadline;
  private long lastRead;
  private long timer = -1;
  private boolean stopped;
  private boolean done;

  private RefusedBody(RoutingContext context) {
    this.context = context;
    this.http2 = context.request().version() == HttpVersion.HTTP_2;
    this.lastRead = System.nanoTime();
    this.deadline = lastRead + TimeUnit.MILLISECONDS.toNanos(MOST_MILLIS);
  }

  /**
   * Reads and discards the rest of the request's body, and ends the exchange once the answer has
   * been sent and the body has ended or stopped coming; call on the request's event loop, before
   * the answer is ended.
   */
  static void discardThenClose(RoutingContext context) {
    new RefusedBody(context).start();
  }

  private void start() {
    HttpServerRequest request = context.request();
    if (!http2) {
      context.response().putHeader(HttpHeaders.CONNECTION, HttpHeaders.CLOSE);
    }
    context.addEndHandler(answered -> endIfDone());
    if (request.isEnded()) {
      return;
    }
    request.handler(
        discarded -> {
          lastRead = System.nanoTime();
        });
    request.exceptionHandler(gone -> end());
    request.endHandler(ended -> endIfDone());
    request.resume();
    arm(IDLE_MILLIS);
  }

  /** Ends once both the answer is sent and the body has ended. */
  private void endIfDone() {
    if (context.request().isEnded() && context.response().ended()) {
      end();
    }
  }

  private void arm(long millis) {
    timer = vertx().setTimer(Math.max(1, millis), fired -> check());
  }

  /** Nothing came for the idle time, or the whole time has passed: end; otherwise wait on. */
  private void check() {
    long now = System.nanoTime();
    long idleLeft = TimeUnit.NANOSECONDS.toMillis(lastRead - now) + IDLE_MILLIS;
    long mostLeft = TimeUnit.NANOSECONDS.toMillis(deadline - now);
    if (mostLeft <= 0 && http2 && !stopped) {
      // no more window for the client: it stops within one, and the reset then meets no frames
      stopped = true;
      context.request().pause();
      lastRead = now;
      arm(IDLE_MILLIS);
    } else if (idleLeft <= 0 || mostLeft <= 0) {
      end();
    } else {
      arm(Math.min(idleLeft, mostLeft));
    }
  }

  private void end() {
    if (done) {
      return;
    }
    done = true;
    if (timer >= 0) {
      vertx().cancelTimer(timer);
    }
    if (!http2) {
      context.request().connection().close();
    } else if (!context.request().isEnded()) {
      context.response().reset(Http2Error.NO_ERROR.code());
    }
  }

  private Vertx vertx() {
    return context.vertx();
  }
}
