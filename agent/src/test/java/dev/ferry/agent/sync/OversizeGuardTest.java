package dev.ferry.agent.sync;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.protocol.device.Topic;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.lang.management.ManagementFactory;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The guard on byte streams: what passes, what is read past, and what ends the connection. */
class OversizeGuardTest {
  private static final int LIMIT = 100;
  private static final String TOPIC = "ferry/v1/devices/edge-1/desired";
  private static final byte[] PING_RESPONSE = {(byte) 0xD0, 0};
  private static final byte[] SUBACK = {(byte) 0x90, 3, 0, 7, 1};

  private final List<OversizeMessage> skipped = new ArrayList<>();

  @Test
  void packetsUpToTheLimit_passUnchanged() throws IOException {
    byte[] atLimit = publish(1, 7, TOPIC, LIMIT);
    byte[] stream = concat(publish(0, 0, TOPIC, 40), atLimit, PING_RESPONSE, SUBACK);

    assertEquals(LIMIT, remainingLengthOf(atLimit));
    assertArrayEquals(stream, readAll(guard(new ByteArrayInputStream(stream), LIMIT)));
    assertEquals(List.of(), skipped);
  }

  @Test
  void aPublishOverTheLimit_reachesPahoAsAStandInWithItsFlagsAndPacketId() throws IOException {
    byte[] over = publish(1, 0x1234, TOPIC, LIMIT + 1);
    over[0] |= 0x09; // DUP and RETAIN

    byte[] read = readAll(guard(new ByteArrayInputStream(over), LIMIT));

    assertArrayEquals(standIn(0x3B, new byte[] {0x12, 0x34}), read);
    assertEquals(List.of(new OversizeMessage(TOPIC, LIMIT + 1, LIMIT)), skipped);
    assertEquals(
        "skipped an MQTT message of 101 bytes on ferry/v1/devices/edge-1/desired: over the"
            + " agent's limit of 100 bytes (set the broker's limit, such as Mosquitto's"
            + " message_size_limit, to 1048576)",
        skipped.get(0).describe());
  }

  @Test
  void aQos0PublishOverTheLimit_hasAStandInWithoutPacketId() throws IOException {
    byte[] read = readAll(guard(new ByteArrayInputStream(publish(0, 0, TOPIC, 500)), LIMIT));

    assertArrayEquals(standIn(0x30, new byte[0]), read);
    assertEquals(List.of(new OversizeMessage(TOPIC, 500, LIMIT)), skipped);
  }

  @Test
  void packetsAfterAnOversizeOne_arriveIntact() throws IOException {
    byte[] before = publish(1, 1, TOPIC, 50);
    byte[] after = publish(1, 3, TOPIC, LIMIT);
    byte[] stream = concat(before, publish(1, 2, TOPIC, 5000), after, PING_RESPONSE);

    byte[] read = readAll(guard(new ByteArrayInputStream(stream), LIMIT));

    assertArrayEquals(concat(before, standIn(0x32, new byte[] {0, 2}), after, PING_RESPONSE), read);
    assertEquals(List.of(new OversizeMessage(TOPIC, 5000, LIMIT)), skipped);
  }

  @Test
  void readsThatTimeOutOrReturnOneByte_leaveTheGuardWhereItWas() throws IOException {
    // Paho's sockets time out every second; a header, topic or packet id may come in pieces
    byte[] small = publish(1, 1, TOPIC, 40);
    byte[] next = publish(1, 3, TOPIC, 299);
    byte[] stream = concat(small, publish(1, 2, TOPIC, 300), next);

    byte[] read = readAll(guard(new Trickle(stream), 299));

    assertArrayEquals(concat(small, standIn(0x32, new byte[] {0, 2}), next), read);
    assertEquals(List.of(new OversizeMessage(TOPIC, 300, 299)), skipped);
  }

  @Test
  void aRemainingLengthOfFiveBytes_isMalformed() {
    byte[] stream = {0x30, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0x01};

    MalformedPacketException thrown =
        assertThrows(
            MalformedPacketException.class,
            () -> readAll(guard(new ByteArrayInputStream(stream), LIMIT)));

    assertEquals(
        "the remaining length of an MQTT packet goes on past 4 bytes: ff ff ff ff",
        thrown.getMessage());
  }

  @Test
  void aPublishWithQos3OverTheLimit_isMalformed() {
    byte[] over = publish(1, 2, TOPIC, LIMIT + 1);
    over[0] |= 0x06;

    MalformedPacketException thrown =
        assertThrows(
            MalformedPacketException.class,
            () -> readAll(guard(new ByteArrayInputStream(over), LIMIT)));

    assertEquals("an MQTT PUBLISH has quality of service 3", thrown.getMessage());
  }

  @Test
  void anotherPacketOverTheLimit_endsTheConnection() {
    byte[] suback = concat(new byte[] {(byte) 0x90, (byte) 0xE5, 0x00}, new byte[101]);

    PacketTooLargeException thrown =
        assertThrows(
            PacketTooLargeException.class,
            () -> readAll(guard(new ByteArrayInputStream(suback), LIMIT)));

    assertEquals(
        "an MQTT packet of type 9 and 101 bytes is over the agent's limit of 100 bytes; a PUBLISH"
            + " that large is skipped, anything else ends the connection",
        thrown.getMessage());
  }

  @Test
  void aStreamThatEndsInsideAPacket_isAnEndOfFile() {
    byte[] header = {0x30, (byte) 0x80};
    byte[] small = publish(1, 1, TOPIC, 50);
    byte[] big = publish(1, 2, TOPIC, 5000);

    assertEquals(
        "the MQTT stream ended inside a packet's fixed header", endOfFile(header).getMessage());
    assertEquals(
        "the MQTT stream ended inside a packet of 50 bytes",
        endOfFile(concat(PING_RESPONSE, Arrays.copyOf(small, 30))).getMessage());
    assertEquals(
        "the MQTT stream ended inside a packet of 5000 bytes",
        endOfFile(Arrays.copyOf(big, 10)).getMessage());
    assertEquals(
        "the MQTT stream ended inside a packet of 5000 bytes",
        endOfFile(Arrays.copyOf(big, 4000)).getMessage());
  }

  @Test
  void aLongTopic_isCutForTheLog_andControlCharactersReplaced() throws IOException {
    String topic = "a\nb/" + "x".repeat(300);

    readAll(guard(new ByteArrayInputStream(publish(1, 2, topic, 1000)), LIMIT));

    String shown = "a?b/" + "x".repeat(OversizeGuard.TOPIC_SHOWN - 4) + "…";
    assertEquals(List.of(new OversizeMessage(shown, 1000, LIMIT)), skipped);
  }

  @Test
  void a64MiBPayload_isReadPastInAFixedBuffer() throws IOException {
    int size = 64 << 20;
    byte[] head = publishHead(1, 9, TOPIC, size);
    Generated payload = new Generated(size - (head.length - 5));
    byte[] after = publish(1, 10, TOPIC, 200);
    InputStream stream =
        new SequenceInputStream(
            Collections.enumeration(
                List.of(new ByteArrayInputStream(head), payload, new ByteArrayInputStream(after))));
    com.sun.management.ThreadMXBean threads =
        (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    InputStream guard = guard(stream, Topic.MAX_PACKET_BYTES);
    long allocatedBefore = threads.getCurrentThreadAllocatedBytes();
    byte[] read = readAll(guard);
    long allocated = threads.getCurrentThreadAllocatedBytes() - allocatedBefore;

    assertArrayEquals(concat(standIn(0x32, new byte[] {0, 9}), after), read);
    assertEquals(List.of(new OversizeMessage(TOPIC, size, Topic.MAX_PACKET_BYTES)), skipped);
    assertEquals(0, payload.left, "the whole payload was read");
    assertTrue(
        payload.largestRead <= OversizeGuard.SKIP_BUFFER,
        "reads of at most the skip buffer: " + payload.largestRead);
    assertTrue(allocated < (1 << 20), "allocated while reading 64 MiB past: " + allocated);
  }

  @Test
  void anOversizeMessage_isOverItsLimit() {
    IllegalArgumentException thrown =
        assertThrows(IllegalArgumentException.class, () -> new OversizeMessage(TOPIC, 100, 100));

    assertEquals("size must be over the limit of 100 bytes: 100", thrown.getMessage());
  }

  private InputStream guard(InputStream in, int limit) {
    return new OversizeGuard(in, limit, skipped::add);
  }

  private EOFException endOfFile(byte[] stream) {
    return assertThrows(
        EOFException.class, () -> readAll(guard(new ByteArrayInputStream(stream), LIMIT)));
  }

  /** Reads to the end like Paho: a read that times out is tried again. */
  private static byte[] readAll(InputStream in) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] buffer = new byte[4096];
    while (true) {
      try {
        int read = in.read(buffer);
        if (read < 0) {
          return out.toByteArray();
        }
        out.write(buffer, 0, read);
      } catch (SocketTimeoutException quiet) {
        // nothing came this time
      }
    }
  }

  /** A PUBLISH whose remaining length is {@code remaining}: topic, packet id, then a payload. */
  private static byte[] publish(int qos, int packetId, String topic, int remaining) {
    byte[] head = publishHead(qos, packetId, topic, remaining);
    int headerBytes = head.length - variableHeader(qos, topic);
    byte[] packet = Arrays.copyOf(head, headerBytes + remaining);
    Arrays.fill(packet, head.length, packet.length, (byte) 0x5A);
    return packet;
  }

  /** A PUBLISH's fixed header, topic and packet id. */
  private static byte[] publishHead(int qos, int packetId, String topic, int remaining) {
    byte[] name = topic.getBytes(StandardCharsets.UTF_8);
    ByteBuffer head = ByteBuffer.allocate(5 + variableHeader(qos, topic));
    head.put((byte) (0x30 | qos << 1)).put(encodeLength(remaining));
    head.putShort((short) name.length).put(name);
    if (qos > 0) {
      head.putShort((short) packetId);
    }
    return Arrays.copyOf(head.array(), head.position());
  }

  private static int variableHeader(int qos, String topic) {
    return 2 + topic.getBytes(StandardCharsets.UTF_8).length + (qos > 0 ? 2 : 0);
  }

  private static byte[] encodeLength(int value) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    do {
      int digit = value & 0x7F;
      value >>>= 7;
      out.write(value > 0 ? digit | 0x80 : digit);
    } while (value > 0);
    return out.toByteArray();
  }

  private static int remainingLengthOf(byte[] packet) throws IOException {
    return new FixedHeaderReader().read(new ByteArrayInputStream(packet)).remainingLength();
  }

  private static byte[] standIn(int first, byte[] packetId) {
    byte[] topic = OversizePublish.STAND_IN_TOPIC.getBytes(StandardCharsets.US_ASCII);
    return concat(
        new byte[] {(byte) first, (byte) (2 + topic.length + packetId.length), 0, 15},
        topic,
        packetId);
  }

  private static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] part : parts) {
      out.writeBytes(part);
    }
    return out.toByteArray();
  }

  /** Bytes one at a time, every other read timing out first. */
  private static final class Trickle extends InputStream {
    private final byte[] bytes;
    private int at;
    private boolean timeOut;

    Trickle(byte[] bytes) {
      this.bytes = bytes;
    }

    @Override
    public int read() throws IOException {
      timeOut = !timeOut;
      if (timeOut) {
        throw new SocketTimeoutException("Read timed out");
      }
      return at < bytes.length ? bytes[at++] & 0xFF : -1;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      int next = read();
      if (next < 0) {
        return -1;
      }
      b[off] = (byte) next;
      return 1;
    }
  }

  /** A payload made as it is read, holding nothing. */
  private static final class Generated extends InputStream {
    private long left;
    private int largestRead;

    Generated(long size) {
      this.left = size;
    }

    @Override
    public int read() {
      if (left > 0) {
        throw new AssertionError("the guard reads the payload in blocks");
      }
      return -1;
    }

    @Override
    public int read(byte[] b, int off, int len) {
      largestRead = Math.max(largestRead, len);
      if (left == 0) {
        return -1;
      }
      int n = (int) Math.min(len, left);
      Arrays.fill(b, off, off + n, (byte) 0x5A);
      left -= n;
      return n;
    }
  }
}
