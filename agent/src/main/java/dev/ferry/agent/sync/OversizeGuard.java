package dev.ferry.agent.sync;

import java.io.IOException;
import java.io.InputStream;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * The broker's MQTT 3.1.1 stream as Paho reads it: each packet within the limit passes unchanged,
 * and a PUBLISH over it reaches Paho as a small stand-in ({@link OversizePublish}) after the guard
 * has read its topic and packet identifier; its payload is read past in a fixed buffer, never held.
 * Paho acknowledges the stand-in, so the broker neither sends it again on the next connection nor
 * keeps a slot of its in-flight window for it. A read that times out leaves the guard where it was.
 */
final class OversizeGuard extends InputStream {
  /** How many bytes of an oversize message's topic are kept for the log. */
  static final int TOPIC_SHOWN = 256;

  /** The buffer an oversize payload is read past in. */
  static final int SKIP_BUFFER = 8192;

  private final InputStream in;
  private final int limit;
  private final Consumer<OversizeMessage> oversize;
  private final FixedHeaderReader headers = new FixedHeaderReader();
  private final byte[] buffer = new byte[SKIP_BUFFER];
  private final byte[] single = new byte[1];
  private byte[] pending = new byte[0];
  private int pendingAt;
  private long passing;
  private int passingSize;
  private OversizePublish skipping;

  /**
   * Guards a stream.
   *
   * @param in the broker's stream
   * @param limit the largest remaining length that passes
   * @param oversize told of each message read past, on the reading thread, before Paho sees its
   *     stand-in
   */
  OversizeGuard(InputStream in, int limit, Consumer<OversizeMessage> oversize) {
    this.in = in;
    this.limit = limit;
    this.oversize = oversize;
  }

  @Override
  public int read() throws IOException {
    return read(single, 0, 1) < 0 ? -1 : single[0] & 0xFF;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    Objects.checkFromIndexSize(off, len, b.length);
    if (len == 0) {
      return 0;
    }
    while (pendingAt == pending.length && passing == 0) {
      if (!advance()) {
        return -1;
      }
    }
    return pendingAt < pending.length ? fromPending(b, off, len) : fromBody(b, off, len);
  }

  @Override
  public int available() throws IOException {
    if (pendingAt < pending.length) {
      return pending.length - pendingAt;
    }
    return passing > 0 ? (int) Math.min(passing, in.available()) : 0;
  }

  @Override
  public void close() throws IOException {
    in.close();
  }

  /** Reads until there is something for Paho; false where the stream ends between packets. */
  private boolean advance() throws IOException {
    if (skipping != null) {
      readPast();
      return true;
    }
    FixedHeader header = headers.read(in);
    if (header == null) {
      return false;
    }
    if (header.remainingLength() > limit) {
      skipping = OversizePublish.of(header, limit);
    } else {
      pass(header.encoded(), header.remainingLength());
    }
    return true;
  }

  private void readPast() throws IOException {
    if (skipping.atPayload()) {
      skipping.skipPayload(in, buffer);
      skipping = null;
      return;
    }
    pass(skipping.readHead(in, buffer), 0);
    oversize.accept(skipping.message());
  }

  private void pass(byte[] header, int body) {
    pending = header;
    pendingAt = 0;
    passing = body;
    passingSize = body;
  }

  private int fromPending(byte[] b, int off, int len) {
    int n = Math.min(len, pending.length - pendingAt);
    System.arraycopy(pending, pendingAt, b, off, n);
    pendingAt += n;
    return n;
  }

  private int fromBody(byte[] b, int off, int len) throws IOException {
    int n = in.read(b, off, (int) Math.min(len, passing));
    if (n < 0) {
      throw OversizePublish.endedInside(passingSize);
    }
    passing -= n;
    return n;
  }
}
