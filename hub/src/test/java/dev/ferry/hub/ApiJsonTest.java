package dev.ferry.hub;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.ferry.hub.catalog.Release;
import dev.ferry.hub.fleet.Device;
import dev.ferry.protocol.Samples;
import dev.ferry.protocol.json.JsonCodec;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The API's records ({@code dev.ferry.protocol.api}) put on the wire exactly the JSON the hub's own
 * records did, written as Quarkus writes them (ISO-8601 instants, nulls kept).
 */
class ApiJsonTest {
  private static final ObjectMapper QUARKUS =
      new ObjectMapper()
          .registerModule(new JavaTimeModule())
          .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
  private static final JsonCodec CODEC = new JsonCodec();

  @Test
  void device_isSentAsBefore_withAndWithoutReportAndTelemetry() throws Exception {
    String reported = new String(CODEC.encode(Samples.reported()), StandardCharsets.UTF_8);
    String metrics = new String(CODEC.encode(Samples.deviceMetrics()), StandardCharsets.UTF_8);
    Device known =
        new Device(
            "edge-01",
            Map.of("site", "berlin"),
            Map.of("site", "munich"),
            Map.of("site", "berlin"),
            true,
            Samples.T0,
            reported,
            new Device.Telemetry(42, Samples.T0, 1, metrics),
            new dev.ferry.protocol.api.DeviceEnrollment(
                "ACCEPTED", "t-1", Samples.T0, Samples.T0, "0a", Samples.T0, null));
    Device named =
        new Device("edge-02", Map.of(), Map.of(), Map.of(), false, null, null, null, null);
    for (Device device : new Device[] {known, named}) {
      assertEquals(QUARKUS.writeValueAsString(device), QUARKUS.writeValueAsString(device.toApi()));
    }
    assertEquals(
        true,
        QUARKUS.readTree(QUARKUS.writeValueAsString(known.toApi())).get("reported").isObject());
  }

  @Test
  void release_isSentAsBefore() throws Exception {
    Release release =
        new Release(
            "ocr-det",
            "1.2.0",
            3,
            "127.0.0.1:5000/models/ocr-det",
            Samples.digest("manifest"),
            4711,
            Samples.serving(),
            Samples.releaseEnvelope(),
            null,
            "Apache-2.0",
            "ci",
            Samples.T0,
            null,
            dev.ferry.hub.catalog.ReleaseState.PUBLISHED);
    assertEquals(QUARKUS.writeValueAsString(release), QUARKUS.writeValueAsString(release.toApi()));
  }
}
