package dev.ferry.protocol.device;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.protocol.Samples;
import dev.ferry.protocol.capture.CapturePolicy;
import dev.ferry.protocol.json.FieldException;
import dev.ferry.protocol.json.JsonCodec;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class DesiredStateTest {
  private static final Instant T0 = Instant.parse("2026-12-05T00:00:00Z");
  private final JsonCodec codec = new JsonCodec();

  private static DesiredState prefetching(List<ModelAssignment> prefetch) {
    return new DesiredState("edge-01", 3, T0, T0.plusSeconds(60), List.of(), prefetch);
  }

  @Test
  void prefetch_isAbsentOnTheWireWhenEmpty_soStatesSignedBeforeItReadTheSame() {
    String json = new String(codec.encode(Samples.desired()), StandardCharsets.UTF_8);

    assertFalse(json.contains("prefetch"), json);
    assertEquals(
        List.of(),
        codec.decode(json.getBytes(StandardCharsets.UTF_8), DesiredState.class).prefetch());
  }

  @Test
  void prefetch_roundTrips() {
    DesiredState state = prefetching(List.of(Samples.assignment()));

    byte[] json = codec.encode(state);

    assertTrue(new String(json, StandardCharsets.UTF_8).contains("\"prefetch\":["));
    assertEquals(state, codec.decode(json, DesiredState.class));
  }

  @Test
  void prefetch_namesAModelOnce() {
    FieldException error =
        assertThrows(
            FieldException.class,
            () -> prefetching(List.of(Samples.assignment(), Samples.assignment())));

    assertEquals("prefetch prefetches model 'ocr-det' twice", error.getMessage());
  }

  @Test
  void prefetch_carriesNoCapturePolicy() {
    ModelAssignment plain = Samples.assignment();
    ModelAssignment capturing =
        new ModelAssignment(
            plain.name(),
            plain.repository(),
            plain.manifestDigest(),
            plain.release(),
            CapturePolicy.sampling(0.01, 10, 1 << 20));

    FieldException error =
        assertThrows(FieldException.class, () -> prefetching(List.of(capturing)));

    assertEquals(
        "prefetch[0].capture must be absent: a prefetched release does not serve, got a capture"
            + " policy for 'ocr-det'",
        error.getMessage());
  }

  @Test
  void models_stillNameAModelOnce() {
    FieldException error =
        assertThrows(
            FieldException.class,
            () ->
                new DesiredState(
                    "edge-01",
                    3,
                    T0,
                    T0.plusSeconds(60),
                    List.of(Samples.assignment(), Samples.assignment())));

    assertEquals("models assigns model 'ocr-det' twice", error.getMessage());
  }
}
