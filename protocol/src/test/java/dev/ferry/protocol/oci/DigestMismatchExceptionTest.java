package dev.ferry.protocol.oci;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class DigestMismatchExceptionTest {
  private static final Digest EXPECTED = Digest.of("original".getBytes(StandardCharsets.UTF_8));
  private static final Digest ACTUAL = Digest.of("tampered".getBytes(StandardCharsets.UTF_8));

  @Test
  void message_holdsBothDigests() {
    var error = new DigestMismatchException("blob", EXPECTED, ACTUAL);
    assertEquals("blob " + EXPECTED + " has digest " + ACTUAL, error.getMessage());
    assertEquals(EXPECTED, error.expected());
    assertEquals(ACTUAL, error.actual());
  }

  @Test
  void message_endsWithWhatWasDoneAboutIt() {
    var error =
        new DigestMismatchException("cached blob", EXPECTED, ACTUAL, "removed it from the cache");
    assertEquals(
        "cached blob " + EXPECTED + " has digest " + ACTUAL + "; removed it from the cache",
        error.getMessage());
  }
}
