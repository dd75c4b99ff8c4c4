package dev.ferry.hub.fleet;

import java.util.Map;

/**
 * What a device's messages change in its row; a null field keeps what is known.
 *
 * @param id the device
 * @param labels the labels it reports, or null
 * @param online whether it is connected, or null
 * @param reported its latest reported state's JSON, or null
 * @param reports how many reported states this carries (each counts in {@code reported_rev})
 */
public record DeviceUpdate(
    String id, Map<String, String> labels, Boolean online, String reported, int reports) {

  /** A reported state. */
  static DeviceUpdate reported(String id, Map<String, String> labels, String json) {
    return new DeviceUpdate(id, labels, null, json, 1);
  }

  /** A connection or disconnection. */
  static DeviceUpdate presence(String id, boolean online) {
    return new DeviceUpdate(id, null, online, null, 0);
  }

  /** This update followed by a later one of the same device: the later's fields win. */
  DeviceUpdate then(DeviceUpdate later) {
    return new DeviceUpdate(
        id,
        later.labels != null ? later.labels : labels,
        later.online != null ? later.online : online,
        later.reported != null ? later.reported : reported,
        reports + later.reports);
  }
}
