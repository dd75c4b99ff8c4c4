package dev.ferry.hub.fleet;

import com.fasterxml.jackson.annotation.JsonRawValue;
import dev.ferry.protocol.api.DeviceEnrollment;
import dev.ferry.protocol.api.DeviceTelemetry;
import java.time.Instant;
import java.util.Map;

/**
 * A device as the hub knows it.
 *
 * @param id the device id
 * @param labels its effective labels: those it reports, overridden by those set on the hub
 * @param reportedLabels the labels it reports
 * @param hubLabels the labels set through the hub's API
 * @param online whether it is connected
 * @param lastSeen when the hub last heard from it; null if never
 * @param reported its latest reported state (JSON), or null before the first report
 * @param telemetry its latest telemetry, or null before the first batch
 * @param enrollment its identity, or null if it never asked to enroll
 */
public record Device(
    String id,
    Map<String, String> labels,
    Map<String, String> reportedLabels,
    Map<String, String> hubLabels,
    boolean online,
    Instant lastSeen,
    @JsonRawValue String reported,
    Telemetry telemetry,
    DeviceEnrollment enrollment) {

  /**
   * The latest telemetry of a device.
   *
   * @param lastSeq the sequence number of its newest batch
   * @param receivedAt when that arrived
   * @param droppedBatches batches it dropped because its journal was full
   * @param metrics CPU, memory, disk and accelerators (JSON)
   */
  public record Telemetry(
      long lastSeq, Instant receivedAt, long droppedBatches, @JsonRawValue String metrics) {}

  /** This device as the API sends it. */
  public dev.ferry.protocol.api.Device toApi() {
    return new dev.ferry.protocol.api.Device(
        id,
        labels,
        reportedLabels,
        hubLabels,
        online,
        lastSeen,
        reported,
        telemetry == null
            ? null
            : new DeviceTelemetry(
                telemetry.lastSeq,
                telemetry.receivedAt,
                telemetry.droppedBatches,
                telemetry.metrics),
        enrollment);
  }
}
