package dev.ferry.hub.api;

import io.vertx.core.http.HttpClosedException;
import io.vertx.core.http.StreamResetException;
import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Optional;
import java.util.Set;

/**
 * Why reading a request's body failed, where the caller and not the hub is the reason. Told apart
 * by the exception's type where Vert.x gives one, and by the class that threw a plain {@link
 * IOException} where Quarkus's REST layer gives nothing else; anything not recognised stays a
 * failure of the hub's (500, logged as an error).
 */
enum BodyFailure {
  /** The client closed the connection, or reset its HTTP/2 stream, before the body ended. */
  CLIENT_GONE,
  /** The body stopped arriving and the read timed out ({@code quarkus.http.read-timeout}). */
  STALLED,
  /** A multipart body read to its end whose parts never closed. */
  INCOMPLETE_MULTIPART;

  private static final String BODY_READ =
      "org.jboss.resteasy.reactive.server.vertx.VertxInputStream$VertxBlockingInput";
  private static final String READ_TIMED_OUT = "Read timed out";
  private static final String MULTIPART_UPLOAD =
      "org.jboss.resteasy.reactive.server.core.multipart.MultiPartParserDefinition$MultiPartUploadHandler";

  /**
   * What {@code e}, thrown while a request was handled, says of its body.
   *
   * @param responseClosed whether the request's own connection or stream is closed: a closed
   *     connection elsewhere (one the hub opened) is the hub's failure
   */
  static Optional<BodyFailure> of(Throwable e, boolean responseClosed) {
    Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
    for (Throwable t = e; t != null && seen.add(t); t = t.getCause()) {
      if (responseClosed
          && (t instanceof HttpClosedException
              || t instanceof StreamResetException
              || t instanceof ClosedChannelException)) {
        return Optional.of(CLIENT_GONE);
      }
      if (t.getClass() == IOException.class && t.getCause() == null) {
        String thrower = t.getStackTrace().length == 0 ? "" : t.getStackTrace()[0].getClassName();
        if (thrower.equals(BODY_READ) && READ_TIMED_OUT.equals(t.getMessage())) {
          return Optional.of(STALLED);
        }
        if (thrower.equals(MULTIPART_UPLOAD)) {
          return Optional.of(INCOMPLETE_MULTIPART);
        }
      }
    }
    return Optional.empty();
  }
}
