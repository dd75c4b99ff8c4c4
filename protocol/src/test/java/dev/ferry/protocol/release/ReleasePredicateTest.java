package dev.ferry.protocol.release;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.protocol.Samples;
import dev.ferry.protocol.json.FieldException;
import dev.ferry.protocol.json.JsonCodec;
import dev.ferry.protocol.oci.Digest;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
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

  @Test
  void encode_leavesVariantsOutOfASingleFileRelease() {
    String json =
        new String(
            new JsonCodec().encode(ReleasePredicate.lasting("m", "1.0.0", 1, T0, SERVING, GOLDEN)),
            StandardCharsets.UTF_8);
    assertFalse(json.contains("variants"), json);
  }

  @Test
  void decode_roundTripsAReleaseWithVariants() {
    ReleasePredicate predicate = withVariants(cpu(), cuda());
    JsonCodec codec = new JsonCodec();
    assertEquals(predicate, codec.decode(codec.encode(predicate), ReleasePredicate.class));
    assertTrue(predicate.hasVariants());
  }

  @Test
  void new_rejectsTwoVariantsOfOneName() {
    ReleaseVariant other =
        new ReleaseVariant(
            "fp32-cpu", List.of(), Precision.FP32, Samples.digest("other"), SERVING, GOLDEN);
    var error = assertThrows(FieldException.class, () -> withVariants(cpu(), other));
    assertEquals("variants names variant 'fp32-cpu' twice", error.getMessage());
  }

  @Test
  void new_rejectsTwoVariantsOfOneManifest() {
    ReleaseVariant copy =
        new ReleaseVariant(
            "copy", List.of(), Precision.FP32, cpu().manifestDigest(), SERVING, GOLDEN);
    var error = assertThrows(FieldException.class, () -> withVariants(cpu(), copy));
    assertEquals(
        "variants names manifest " + cpu().manifestDigest() + " twice", error.getMessage());
  }

  @Test
  void new_rejectsTopDigestsThatAreNotTheFirstVariants() {
    var error = assertThrows(FieldException.class, () -> withVariants(cuda(), cpu()));
    assertEquals(
        "variants servingDigest and goldenDigest must be those of the first variant",
        error.getMessage());
  }

  private static ReleaseVariant cpu() {
    return new ReleaseVariant(
        "fp32-cpu", List.of("CPU"), Precision.FP32, Samples.digest("m32"), SERVING, GOLDEN);
  }

  private static ReleaseVariant cuda() {
    return new ReleaseVariant(
        "fp16-cuda",
        List.of("CUDA"),
        Precision.FP16,
        Samples.digest("m16"),
        Samples.digest("s16"),
        Samples.digest("g16"));
  }

  private static ReleasePredicate withVariants(ReleaseVariant... variants) {
    return new ReleasePredicate("m", "1.0.0", 1, T0, SERVING, GOLDEN, null, List.of(variants));
  }

  private static ReleasePredicate expiring(Instant at) {
    return new ReleasePredicate("m", "1.0.0", 1, T0, SERVING, GOLDEN, at);
  }
}
