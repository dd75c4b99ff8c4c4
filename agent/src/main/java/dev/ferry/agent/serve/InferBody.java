package dev.ferry.agent.serve;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import java.nio.ByteBuffer;
import java.time.Duration;

/**
 * An infer request's body, gathered as it arrives into one pooled direct buffer, placed so that its
 * binary part starts on a 64-byte boundary: ONNX Runtime then reads the binary inputs where they
 * lie ({@link BinaryTensors#tensor}), with no copy on the heap and none after. Its holder releases
 * it once the request is answered.
 */
final class InferBody {
  /** ONNX Runtime's own allocations are aligned so; any element type's size divides it. */
  static final int ALIGNMENT = 64;

  private static final int CHUNKED_START = 64 << 10;

  private final ByteBuf buffer;
  private final int start;

  private InferBody(ByteBuf buffer, int start) {
    this.buffer = buffer;
    this.start = start;
  }

  /**
   * Room for a body: its declared length (or a start for a chunked one, growing up to the limit),
   * the binary part aligned when the request says where it starts.
   *
   * @param declared the {@code Content-Length}, or -1 for a chunked body
   * @param binaryStart the {@value RequestParser#HEADER_LENGTH}, or -1 when there is none
   * @param limit the most bytes the body may take
   */
  static InferBody allocate(long declared, long binaryStart, long limit) {
    int size = (int) (declared >= 0 && declared <= limit ? declared : CHUNKED_START);
    ByteBuf buffer =
        PooledByteBufAllocator.DEFAULT.directBuffer(
            size + ALIGNMENT, (int) Math.min(limit + ALIGNMENT, Integer.MAX_VALUE));
    int address = buffer.nioBuffer(0, 1).alignmentOffset(0, ALIGNMENT);
    int start = (int) Math.floorMod(-(address + Math.max(binaryStart, 0)), (long) ALIGNMENT);
    buffer.writerIndex(start).readerIndex(start);
    return new InferBody(buffer, start);
  }

  /** A non-negative number from a header, or -1 when absent or not one. */
  private static long length(String header) {
    try {
      return header == null ? -1 : Long.parseLong(header.strip());
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  /**
   * Reads a request's body in; {@code whenRead} is called once it has all arrived, {@code
   * whenFailed} (with the body released) if it is over the limit, has not all come within the
   * timeout ({@link BodyTimeoutException}), or the connection fails first.
   */
  static void read(
      RoutingContext context,
      long limit,
      Duration timeout,
      Handler<InferBody> whenRead,
      Handler<Throwable> whenFailed) {
    HttpServerRequest request = context.request();
    long declared = length(request.getHeader(HttpHeaders.CONTENT_LENGTH));
    long binaryStart = length(request.getHeader(RequestParser.HEADER_LENGTH));
    allocate(declared, binaryStart, limit).gather(context, limit, timeout, whenRead, whenFailed);
  }

  private void gather(
      RoutingContext context,
      long limit,
      Duration timeout,
      Handler<InferBody> whenRead,
      Handler<Throwable> whenFailed) {
    HttpServerRequest request = context.request();
    if (request.isEnded()) {
      // read before this route (a body handler of Quarkus's own): there is nothing more to come
      if (context.body().buffer() != null) {
        append(context.body().buffer());
      }
      whenRead.handle(this);
      return;
    }
    long timer =
        context
            .vertx()
            .setTimer(
                Math.max(1, timeout.toMillis()),
                late -> {
                  if (buffer.refCnt() > 0) {
                    fail(new BodyTimeoutException(timeout, length()), whenFailed);
                  }
                });
    request.handler(
        chunk -> {
          if (buffer.refCnt() == 0) {
            return;
          }
          if (length() + chunk.length() > limit) {
            context.vertx().cancelTimer(timer);
            fail(new BodyTooLargeException(limit), whenFailed);
            return;
          }
          append(chunk);
        });
    request.exceptionHandler(
        failure -> {
          context.vertx().cancelTimer(timer);
          if (buffer.refCnt() > 0) {
            fail(failure, whenFailed);
          }
        });
    request.endHandler(
        done -> {
          // from here the body is the request's holder's to release, whatever the connection does
          context.vertx().cancelTimer(timer);
          request.exceptionHandler(null);
          if (buffer.refCnt() > 0) {
            whenRead.handle(this);
          }
        });
    request.resume();
    if (HttpHeaders.CONTINUE.toString().equalsIgnoreCase(request.getHeader(HttpHeaders.EXPECT))) {
      // admitted, and within the body limit: the client may send it now (curl waits a second
      // for this before sending any body over 1 KiB)
      context.response().writeContinue();
    }
  }

  /** Gives the body's memory back and says why it was not read. */
  private void fail(Throwable failure, Handler<Throwable> whenFailed) {
    release();
    whenFailed.handle(failure);
  }

  /** Adds bytes that arrived. */
  void append(Buffer chunk) {
    buffer.writeBytes(chunk.getByteBuf());
  }

  /** The body's length so far. */
  int length() {
    return buffer.writerIndex() - start;
  }

  /** The body's bytes, over the buffer's memory: valid until {@link #release}. */
  ByteBuffer bytes() {
    return buffer.nioBuffer(start, length());
  }

  /** Gives the memory back to the pool; the body's bytes must no longer be used. */
  void release() {
    buffer.release();
  }
}
