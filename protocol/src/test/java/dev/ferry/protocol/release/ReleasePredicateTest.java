package dev.ferry.protocol.release;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.protocol.json.FieldException;
import dev.ferry.protocol.json.JsonCodec;
import dev.ferry.protocol.oci.Digest;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class ReleasePredicateTest {
  private static final Instant T0 = Instant.parse("2026-03-01T12:00:00Z");
  private static final Digest SERVING = Digest.of("s".getBytes(StandardCharsets.UTF_8));
  private static final Digest GOLDEN = Digest.of("g".getBytes(StandardCharsets.UTF_8));

  @Test
  void isExpiredAt_fromExpiresAtOn() {
    ReleasePredicate predicate = expiring(T0.plusSeconds(60));
    assertFalse(predicate.isExpiredAt(T0.plusSeconds(59)));
    assertTrue(predicate.isExpiredAt(T0.plusSeconds(60)));
  }

  @Test
  void isExpiredAt_neverForAReleaseWithoutExpiry() {
    ReleasePredicate predicate = ReleasePredicate.lasting("m", "1.0.0", 1, T0, SERVING, GOLDEN);
    assertFalse(predicate.isExpiredAt(Instant.MAX));
  }

  @Test
  void decode_readsAPredicateWrittenBeforeExpiryExisted() {
    JsonCodec codec = new JsonCodec();
    String old =
        "{\"model\":\"m\",\"version\":\"1.0.0\",\"releaseSeq\":1,\"createdAt\":\""
            + T0
            + "\",\"servingDigest\":\""
            + SERVING
            + "\",\"goldenDigest\":\""
            + GOLDEN
            + "\"}";
    ReleasePredicate predicate =
        codec.decode(old.getBytes(StandardCharsets.UTF_8), ReleasePredicate.class);
    assertEquals(ReleasePredicate.lasting("m", "1.0.0", 1, T0, SERVING, GOLDEN), predicate);
  }

  @Test
  void new_rejectsAnExpiryNotAfterCreation() {
    var error = assertThrows(FieldException.class, () -> expiring(T0));
    assertEquals("expiresAt must be after createdAt " + T0 + ", got " + T0, error.getMessage());
  }

  private static ReleasePredicate expiring(Instant at) {
    return new ReleasePredicate("m", "1.0.0", 1, T0, SERVING, GOLDEN, at);
  }
}
