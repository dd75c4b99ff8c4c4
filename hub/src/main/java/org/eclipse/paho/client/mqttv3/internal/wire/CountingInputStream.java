package org.eclipse.paho.client.mqttv3.internal.wire;

import java.io.IOException;
import java.io.InputStream;

/**
 * Ferry's stand-in for Paho 1.2.5's class of this name, which counts the bytes Paho reads while it
 * decodes a packet. Paho's overrides only {@link #read()}, so every {@code readFully} of a packet's
 * body and of a PUBLISH's payload went through {@link InputStream}'s one-byte-at-a-time loop, each
 * byte a synchronized {@code ByteArrayInputStream.read()}: 18 µs of a 600-byte message, 54 µs of a
 * 2 KB one, on the thread that receives every telemetry batch and report (BENCHMARKS.md, B7). This
 * one reads in bulk and counts the same. Paho 1.2.5 is the client's last release; the hub's build
 * drops Paho's class and its jar's signature (application.properties, {@code
 * quarkus.class-loading.removed-resources}) so that this one is loaded in its place.
 */
public class CountingInputStream extends InputStream {
  private final InputStream in;
  private int counter;

  /**
   * @param in the stream counted
   */
  public CountingInputStream(InputStream in) {
    this.in = in;
  }

  @Override
  public int read() throws IOException {
    int b = in.read();
    if (b != -1) {
      counter++;
    }
    return b;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    int n = in.read(b, off, len);
    if (n > 0) {
      counter += n;
    }
    return n;
  }

  /**
   * @return the bytes read since the start or the last {@link #resetCounter()}
   */
  public int getCounter() {
    return counter;
  }

  /** Counts from zero again. */
  public void resetCounter() {
    counter = 0;
  }
}
