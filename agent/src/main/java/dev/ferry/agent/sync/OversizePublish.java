package dev.ferry.agent.sync;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * A PUBLISH over the agent's limit, read only as far as its topic (in part, for the log) and packet
 * identifier (for the stand-in Paho acknowledges); its payload is read past in the caller's buffer.
 * Each step keeps its place when a read times out.
 */
final class OversizePublish {
  /** The stand-in's topic: no subscription of the agent matches it. */
  static final String STAND_IN_TOPIC = "$ferry/oversize";

  private static final byte[] STAND_IN = STAND_IN_TOPIC.getBytes(StandardCharsets.US_ASCII);
  private final FixedHeader header;
  private final int limit;
  private final Field topicLength;
  private final Field packetId;
  private Field topic;
  private Skip topicRest;
  private Skip payload;

  private OversizePublish(FixedHeader header, int limit) {
    this.header = header;
    this.limit = limit;
    this.topicLength = new Field(2, header.remainingLength());
    this.packetId = new Field(header.qos() > 0 ? 2 : 0, header.remainingLength());
  }

  /**
   * Starts reading past a packet over the limit.
   *
   * @throws PacketTooLargeException if it is not a PUBLISH
   * @throws MalformedPacketException if its quality of service is 3
   */
  static OversizePublish of(FixedHeader header, int limit) throws IOException {
    if (header.type() != FixedHeader.PUBLISH) {
      throw new PacketTooLargeException(header, limit);
    }
    if (header.qos() == 3) {
      throw new MalformedPacketException("an MQTT PUBLISH has quality of service 3");
    }
    return new OversizePublish(header, limit);
  }

  /** Whether topic and packet identifier are read, and only the payload is left. */
  boolean atPayload() {
    return payload != null;
  }

  /**
   * Reads the topic and the packet identifier.
   *
   * @return the stand-in: a PUBLISH with the same flags and packet identifier, on {@link
   *     #STAND_IN_TOPIC}, with no payload
   */
  byte[] readHead(InputStream in, byte[] buffer) throws IOException {
    byte[] length = topicLength.from(in);
    int topicBytes = ((length[0] & 0xFF) << 8) | (length[1] & 0xFF);
    if (topic == null) {
      topic = new Field(Math.min(topicBytes, OversizeGuard.TOPIC_SHOWN), header.remainingLength());
      topicRest = new Skip(topicBytes - topic.length(), header.remainingLength());
    }
    topic.from(in);
    topicRest.through(in, buffer);
    byte[] id = packetId.from(in);
    payload =
        new Skip(header.remainingLength() - 2L - topicBytes - id.length, header.remainingLength());
    return standIn(id);
  }

  /** Reads past the payload. */
  void skipPayload(InputStream in, byte[] buffer) throws IOException {
    payload.through(in, buffer);
  }

  /** What was skipped, once the head is read. */
  OversizeMessage message() {
    String shown =
        new String(topic.bytes(), StandardCharsets.UTF_8)
            .replaceAll("[\\p{Cc}\\p{Zl}\\p{Zp}]", "?");
    return new OversizeMessage(
        topicRest.count() > 0 ? shown + "…" : shown, header.remainingLength(), limit);
  }

  private byte[] standIn(byte[] id) {
    int remaining = 2 + STAND_IN.length + id.length;
    return ByteBuffer.allocate(2 + remaining)
        .put(header.encoded()[0])
        .put((byte) remaining)
        .putShort((short) STAND_IN.length)
        .put(STAND_IN)
        .put(id)
        .array();
  }

  static EOFException endedInside(int size) {
    return new EOFException("the MQTT stream ended inside a packet of " + size + " bytes");
  }

  /** A fixed number of bytes, read across calls. */
  private static final class Field {
    private final byte[] bytes;
    private final int packetSize;
    private int have;

    Field(int length, int packetSize) {
      this.bytes = new byte[length];
      this.packetSize = packetSize;
    }

    byte[] from(InputStream in) throws IOException {
      while (have < bytes.length) {
        int read = in.read(bytes, have, bytes.length - have);
        if (read < 0) {
          throw endedInside(packetSize);
        }
        have += read;
      }
      return bytes;
    }

    int length() {
      return bytes.length;
    }

    byte[] bytes() {
      return bytes;
    }
  }

  /** A number of bytes read past in the caller's buffer, across calls. */
  private static final class Skip {
    private final long count;
    private final int packetSize;
    private long left;

    Skip(long count, int packetSize) {
      this.count = count;
      this.left = count;
      this.packetSize = packetSize;
    }

    void through(InputStream in, byte[] buffer) throws IOException {
      while (left > 0) {
        int read = in.read(buffer, 0, (int) Math.min(buffer.length, left));
        if (read < 0) {
          throw endedInside(packetSize);
        }
        left -= read;
      }
    }

    long count() {
      return count;
    }
  }
}
