package dev.ferry.hub.fleet;

import com.fasterxml.jackson.annotation.JsonRawValue;
import java.time.Instant;
import java.util.Map;

/**
 * A device as the hub knows it.
 *
 * @param id the device id
 * @param labels its labels, as it reports them
 * @param online whether it is connected
 * @param lastSeen when the hub last heard from it; null if never
 * @param reported its latest reported state (JSON), or null before the first report
 */
public record Device(
    String id,
    Map<String, String> labels,
    boolean online,
    Instant lastSeen,
    @JsonRawValue String reported) {}
