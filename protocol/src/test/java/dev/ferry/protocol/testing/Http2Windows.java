package dev.ferry.protocol.testing;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

/**
 * How much an HTTP/2 server lets a client send before it must wait for a window update: read from
 * the frames the server sends a client that speaks HTTP/2 to it with prior knowledge (RFC 9113,
 * 3.3): its SETTINGS_INITIAL_WINDOW_SIZE for each stream, and for the connection the default 65,535
 * plus what its first WINDOW_UPDATEs of stream 0 add.
 *
 * @param stream bytes a stream may send
 * @param connection bytes all streams of a connection may send together
 */
public record Http2Windows(long stream, long connection) {
  private static final int DEFAULT = 65_535;
  private static final int SETTINGS = 0x4;
  private static final int WINDOW_UPDATE = 0x8;
  private static final int INITIAL_WINDOW_SIZE = 0x4;
  private static final int ACK = 0x1;

  /**
   * Asks a server on 127.0.0.1.
   *
   * @param port its port, plain HTTP
   * @return its windows
   * @throws IOException when it does not speak HTTP/2 within 10 s
   */
  public static Http2Windows of(int port) throws IOException {
    try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
      socket.setSoTimeout(10_000);
      OutputStream out = socket.getOutputStream();
      out.write("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      out.write(new byte[] {0, 0, 0, SETTINGS, 0, 0, 0, 0, 0});
      out.flush();
      DataInputStream in = new DataInputStream(socket.getInputStream());
      long stream = DEFAULT;
      long connection = DEFAULT;
      boolean settings = false;
      while (true) {
        int header;
        try {
          header = in.readUnsignedByte();
        } catch (SocketTimeoutException quiet) {
          if (!settings) {
            throw quiet;
          }
          return new Http2Windows(stream, connection); // the server has said what it says first
        }
        int length = header << 16 | in.readUnsignedShort();
        int type = in.readUnsignedByte();
        int flags = in.readUnsignedByte();
        int streamId = in.readInt() & 0x7fffffff;
        byte[] payload = in.readNBytes(length);
        if (type == SETTINGS && (flags & ACK) == 0) {
          for (int i = 0; i + 6 <= length; i += 6) {
            int id = (payload[i] & 0xff) << 8 | (payload[i + 1] & 0xff);
            if (id == INITIAL_WINDOW_SIZE) {
              stream = readInt(payload, i + 2) & 0xffffffffL;
            }
          }
          settings = true;
          socket.setSoTimeout(500);
        } else if (type == WINDOW_UPDATE && streamId == 0) {
          connection += readInt(payload, 0) & 0x7fffffff;
        }
      }
    }
  }

  private static int readInt(byte[] bytes, int at) {
    return (bytes[at] & 0xff) << 24
        | (bytes[at + 1] & 0xff) << 16
        | (bytes[at + 2] & 0xff) << 8
        | (bytes[at + 3] & 0xff);
  }
}
