package dev.ferry.protocol;

import dev.ferry.protocol.device.DeviceEvent;
import dev.ferry.protocol.testing.FuzzTarget;
import dev.ferry.protocol.testing.Fuzzing;

/**
 * Jazzer on {@code JsonCodec.decode(…, DeviceEvent)}, seeded by the corpus {@code
 * fuzz/device-event}.
 */
class DeviceEventFuzz extends FuzzTarget {
  @Override
  protected Fuzzing target() {
    return WireTargets.decoding("device-event", DeviceEvent.class);
  }
}
