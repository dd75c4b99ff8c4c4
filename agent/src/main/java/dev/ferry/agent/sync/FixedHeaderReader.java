package dev.ferry.agent.sync;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * Reads MQTT fixed headers a byte at a time, keeping its place when a read times out (Paho's
 * sockets time out every second while the broker is quiet).
 */
final class FixedHeaderReader {
  private static final int MAX_LENGTH_BYTES = 4;
  private final byte[] bytes = new byte[1 + MAX_LENGTH_BYTES];
  private int have;

  /**
   * Reads the rest of the next header.
   *
   * @return the header, or null where the stream ends before a packet starts
   * @throws MalformedPacketException if its remaining length goes on past 4 bytes
   * @throws EOFException if the stream ends inside it
   */
  FixedHeader read(InputStream in) throws IOException {
    while (!whole()) {
      int next = in.read();
      if (next < 0) {
        return ended();
      }
      add(next);
    }
    FixedHeader header = new FixedHeader(Arrays.copyOf(bytes, have));
    have = 0;
    return header;
  }

  private boolean whole() {
    return have >= 2 && (bytes[have - 1] & 0x80) == 0;
  }

  private void add(int next) throws MalformedPacketException {
    bytes[have++] = (byte) next;
    if (have == bytes.length && !whole()) {
      throw new MalformedPacketException(
          "the remaining length of an MQTT packet goes on past 4 bytes: "
              + HexFormat.ofDelimiter(" ").formatHex(bytes, 1, have));
    }
  }

  private FixedHeader ended() throws EOFException {
    if (have == 0) {
      return null;
    }
    throw new EOFException("the MQTT stream ended inside a packet's fixed header");
  }
}
