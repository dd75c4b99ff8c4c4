package dev.ferry.hub.capture;

import dev.ferry.protocol.capture.CaptureSample;
import dev.ferry.protocol.device.DeviceIds;

/**
 * A sample as the hub stores it: with the device that uploaded it, authenticated, never taken from
 * the body.
 *
 * @param deviceId the device
 * @param sample the sample
 */
record StoredSample(String deviceId, CaptureSample sample) {
  StoredSample {
    DeviceIds.require(deviceId, "deviceId");
  }
}
