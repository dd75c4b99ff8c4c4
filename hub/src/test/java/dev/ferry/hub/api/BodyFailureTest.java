package dev.ferry.hub.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.http.HttpClosedException;
import io.vertx.core.http.StreamResetException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.channels.ClosedChannelException;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The failures of reading a body that are the caller's, told from the hub's own. */
class BodyFailureTest {
  private static final String BODY_STREAM =
      "org.jboss.resteasy.reactive.server.vertx.VertxInputStream$VertxBlockingInput";
  private static final String MULTIPART_UPLOAD =
      "org.jboss.resteasy.reactive.server.core.multipart.MultiPartParserDefinition$MultiPartUploadHandler";

  /** A plain exception as Quarkus's REST layer throws it: thrown by {@code thrower}. */
  private static <T extends Throwable> T thrownBy(String thrower, T e) {
    e.setStackTrace(new StackTraceElement[] {new StackTraceElement(thrower, "read", "X.java", 1)});
    return e;
  }

  @Test
  void aClosedConnectionOrAResetStream_ofTheRequestItself_isTheClientGone() {
    // as seen: IOException(IOException(HttpClosedException)) from the body's stream
    Throwable closed = new IOException(new IOException(new HttpClosedException("closed")));
    assertEquals(Optional.of(BodyFailure.CLIENT_GONE), BodyFailure.of(closed, true));
    assertEquals(
        Optional.of(BodyFailure.CLIENT_GONE),
        BodyFailure.of(new IOException(new StreamResetException(8)), true));
    assertEquals(
        Optional.of(BodyFailure.CLIENT_GONE),
        BodyFailure.of(new IOException(new ClosedChannelException()), true));
    // a connection the hub opened that closed, while the request's own is open: the hub's failure
    assertEquals(Optional.empty(), BodyFailure.of(closed, false));
  }

  @Test
  void aReadThatTimedOut_isAStalledBody_butAnInterruptedOneIsNot() {
    assertEquals(
        Optional.of(BodyFailure.STALLED),
        BodyFailure.of(
            new IOException(thrownBy(BODY_STREAM, new IOException("Read timed out"))), false));
    // interrupted: the hub is stopping
    assertEquals(
        Optional.empty(),
        BodyFailure.of(thrownBy(BODY_STREAM, new InterruptedIOException("stop")), false));
    // the same stream's other plain failures: a body over the limit (answered 413 already), and
    // the hub's own bugs
    for (String other :
        new String[] {
          "Request too large", "Stream is closed", "Attempting a blocking read on io thread"
        }) {
      assertEquals(
          Optional.empty(), BodyFailure.of(thrownBy(BODY_STREAM, new IOException(other)), false));
    }
  }

  @Test
  void aMultipartBodyThatEndedEarly_isOnlyTheUploadHandlersOwnPlainIoException() {
    assertEquals(
        Optional.of(BodyFailure.INCOMPLETE_MULTIPART),
        BodyFailure.of(
            thrownBy(
                MULTIPART_UPLOAD,
                new IOException("Connection terminated parsing multipart request")),
            false));
    // an I/O failure of the hub's own (its disk) thrown elsewhere, or with a cause, is not
    assertEquals(
        Optional.empty(),
        BodyFailure.of(thrownBy("sun.nio.ch.FileChannelImpl", new IOException("No space")), true));
    assertEquals(
        Optional.empty(),
        BodyFailure.of(
            thrownBy(MULTIPART_UPLOAD, new IOException(new IOException("No space left"))), false));
  }
}
