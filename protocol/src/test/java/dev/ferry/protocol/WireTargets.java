package dev.ferry.protocol;

import dev.ferry.protocol.device.DesiredState;
import dev.ferry.protocol.device.DeviceEvent;
import dev.ferry.protocol.device.ReportedState;
import dev.ferry.protocol.device.TelemetryBatch;
import dev.ferry.protocol.json.JsonCodec;
import dev.ferry.protocol.json.MalformedMessageException;
import dev.ferry.protocol.signing.Envelope;
import dev.ferry.protocol.testing.Fuzzing;
import java.util.List;

/**
 * The protocol's decoders of what arrives from outside (MQTT payloads of devices and of the hub),
 * as fuzz targets: each may refuse input only with {@link MalformedMessageException}.
 */
final class WireTargets {
  private static final JsonCodec CODEC = new JsonCodec();

  private WireTargets() {}

  static List<Fuzzing> all() {
    return List.of(
        decoding("desired-state", DesiredState.class),
        decoding("envelope", Envelope.class),
        decoding("telemetry-batch", TelemetryBatch.class),
        decoding("reported-state", ReportedState.class),
        decoding("device-event", DeviceEvent.class));
  }

  static Fuzzing decoding(String name, Class<?> type) {
    return new Fuzzing(
        name, input -> CODEC.decode(input, type), MalformedMessageException.class::isInstance);
  }
}
