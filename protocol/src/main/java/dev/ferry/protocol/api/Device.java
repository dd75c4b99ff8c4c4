package dev.ferry.protocol.api;

import com.fasterxml.jackson.annotation.JsonRawValue;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import java.time.Instant;
import java.util.Map;

/**
 * A device as the hub knows it: an element of {@code GET /api/v1/devices}, and {@code GET
 * /api/v1/devices/{id}}.
 *
 * @param id the device id
 * @param labels its effective labels: those it reports, overridden by those set on the hub
 * @param reportedLabels the labels it reports
 * @param hubLabels the labels set through the hub's API
 * @param online whether it is connected
 * @param lastSeen when the hub last heard news from it: a new reported state, a connection, or the
 *     loss of its connection (an offline device's last will that the broker kept and sends a hub
 *     that starts is none); null if never
 * @param reported its latest {@code ferry.reported/v1} message as the device sent it (JSON text,
 *     sent as a JSON object), or null before the first report
 * @param telemetry its latest telemetry, or null before the first batch
 * @param enrollment its identity (enrollment state, certificate), or null if it never enrolled
 */
public record Device(
    String id,
    Map<String, String> labels,
    Map<String, String> reportedLabels,
    Map<String, String> hubLabels,
    boolean online,
    Instant lastSeen,
    @JsonRawValue @JsonDeserialize(using = RawJson.class) String reported,
    DeviceTelemetry telemetry,
    DeviceEnrollment enrollment) {}
