package dev.ferry.hub.signing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.ferry.hub.api.ApiException;
import dev.ferry.hub.api.ErrorCode;
import dev.ferry.protocol.oci.Digest;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class PendingPayloadTest {
  private static final byte[] PAYLOAD = "{\"a\":1}".getBytes(StandardCharsets.UTF_8);

  @Test
  void requireSame_acceptsTheExactBytes() {
    PendingPayload pending = new PendingPayload("the statement of x", PAYLOAD);
    pending.requireSame(PAYLOAD.clone());
    assertEquals(Digest.of(PAYLOAD), pending.digest());
  }

  @Test
  void requireSame_refusesOtherBytesNamingBothDigests() {
    byte[] reordered = "{ \"a\":1}".getBytes(StandardCharsets.UTF_8);
    ApiException refused =
        assertThrows(
            ApiException.class,
            () -> new PendingPayload("the statement of x", PAYLOAD).requireSame(reordered));
    assertEquals(ErrorCode.CONFLICT, refused.code());
    assertEquals(
        "the signed payload has digest "
            + Digest.of(reordered)
            + ", but the statement of x waiting for a signature has "
            + Digest.of(PAYLOAD)
            + ": sign the payload the hub serves for it, unchanged",
        refused.getMessage());
  }

  @Test
  void bytes_areACopy() {
    byte[] given = PAYLOAD.clone();
    PendingPayload pending = new PendingPayload("x", given);
    given[0] = 'X';
    pending.bytes()[1] = 'Y';
    assertArrayEquals(PAYLOAD, pending.bytes());
  }
}
