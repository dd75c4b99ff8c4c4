package dev.ferry.agent.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

/**
 * The request decoder on bytes that are no JSON text at all (found by fuzzing, RELIABILITY.md F6).
 */
class RequestParserTest {
  private static final String NOT_TEXT =
      "request body is not valid JSON: its bytes are no UTF-8, UTF-16 or UTF-32 text";

  @Test
  void parse_refusesBytesInNoEncodingJsonMayUse() {
    byte[] weirdUcs4 = {0, 0x64, 0, 0};
    assertEquals(NOT_TEXT, refused(weirdUcs4, null));
    assertEquals(NOT_TEXT, refused(weirdUcs4, "4"));
  }

  @Test
  void parse_refusesUtf32AboveTheLastCodePoint() {
    byte[] body = {0x3f, 0, 0, 0, '{', '"', 'h', 'n'};
    assertEquals(NOT_TEXT, refused(body, null));
  }

  private static String refused(byte[] body, String headerLength) {
    return assertThrows(
            InvalidRequestException.class,
            () -> RequestParser.parse(ByteBuffer.wrap(body), headerLength))
        .getMessage();
  }
}
