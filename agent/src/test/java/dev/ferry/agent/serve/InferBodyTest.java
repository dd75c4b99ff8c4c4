package dev.ferry.agent.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.buffer.Buffer;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

/** Where a gathered body lies: direct memory, its binary part on a 64-byte boundary. */
class InferBodyTest {
  private static final long LIMIT = 16 << 20;

  @Test
  void binaryPart_startsOnA64ByteBoundary_whateverTheHeaderLength() {
    int checked = 0;
    for (int header = 0; header < 200; header += 7) {
      InferBody body = InferBody.allocate(header + 96, header, LIMIT);
      try {
        body.append(Buffer.buffer(new byte[header + 96]));
        ByteBuffer bytes = body.bytes();
        assertTrue(bytes.isDirect());
        assertEquals(header + 96, bytes.remaining());
        assertEquals(0, bytes.alignmentOffset(header, InferBody.ALIGNMENT), "header " + header);
        checked++;
      } finally {
        body.release();
      }
    }
    assertEquals(29, checked);
  }

  @Test
  void chunkedBody_growsPastItsFirstRoom_andKeepsItsBytes() {
    InferBody body = InferBody.allocate(-1, -1, LIMIT);
    try {
      byte[] chunk = new byte[48 << 10];
      chunk[0] = 7;
      chunk[chunk.length - 1] = 9;
      body.append(Buffer.buffer(chunk));
      body.append(Buffer.buffer(chunk));
      ByteBuffer bytes = body.bytes();
      assertEquals(2 * chunk.length, bytes.remaining());
      assertEquals(7, bytes.get(chunk.length));
      assertEquals(9, bytes.get(2 * chunk.length - 1));
    } finally {
      body.release();
    }
  }
}
