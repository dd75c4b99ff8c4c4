package dev.ferry.protocol.api;

import com.fasterxml.jackson.annotation.JsonRawValue;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import java.time.Instant;

/**
 * The latest telemetry of a {@link Device}.
 *
 * @param lastSeq the sequence number of its newest batch
 * @param receivedAt when that arrived
 * @param droppedBatches batches it dropped because its journal was full
 * @param metrics CPU, memory, disk and accelerators as the device sent them ({@code DeviceMetrics}
 *     JSON text, sent as a JSON object)
 */
public record DeviceTelemetry(
    long lastSeq,
    Instant receivedAt,
    long droppedBatches,
    @JsonRawValue @JsonDeserialize(using = RawJson.class) String metrics) {}
