package dev.ferry.protocol.release;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.protocol.json.FieldException;
import dev.ferry.protocol.oci.Digest;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RevocationsTest {
  private static final Instant T0 = Instant.parse("2026-03-01T12:00:00Z");
  private static final Digest BAD = Digest.of("bad".getBytes(StandardCharsets.UTF_8));
  private static final Digest GOOD = Digest.of("good".getBytes(StandardCharsets.UTF_8));
  private static final RevokedRelease ENTRY = new RevokedRelease("m", "1.1.0", BAD, T0, "NaNs");

  @Test
  void find_matchesModelAndDigest() {
    Revocations list = new Revocations(2, T0, null, List.of(ENTRY));
    assertEquals(Optional.of(ENTRY), list.find("m", BAD));
    assertEquals(Optional.empty(), list.find("m", GOOD));
    assertEquals(Optional.empty(), list.find("other", BAD));
    assertEquals("m@1.1.0", ENTRY.id());
  }

  @Test
  void isExpiredAt_onlyWithAnExpiry() {
    assertFalse(new Revocations(1, T0, null, List.of()).isExpiredAt(Instant.MAX));
    assertTrue(new Revocations(1, T0, T0.plusSeconds(1), List.of()).isExpiredAt(T0.plusSeconds(1)));
  }

  @Test
  void new_namesTheBrokenRule() {
    var version = assertThrows(FieldException.class, () -> new Revocations(0, T0, null, List.of()));
    assertEquals("version must be at least 1, got 0", version.getMessage());
    var expiry = assertThrows(FieldException.class, () -> new Revocations(1, T0, T0, List.of()));
    assertEquals("expiresAt must be after issuedAt " + T0 + ", got " + T0, expiry.getMessage());
    String longReason = "x".repeat(501);
    var reason =
        assertThrows(
            FieldException.class, () -> new RevokedRelease("m", "1.0.0", BAD, T0, longReason));
    assertEquals("reason must be at most 500 characters, got 501", reason.getMessage());
  }
}
