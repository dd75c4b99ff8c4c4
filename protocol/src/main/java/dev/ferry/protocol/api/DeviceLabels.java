package dev.ferry.protocol.api;

import java.util.Map;

/**
 * The body of {@code PUT /api/v1/devices/{id}/labels}: the hub's labels of a device, which override
 * those it reports.
 *
 * @param labels label names to values, for example {@code {"site": "berlin"}}
 */
public record DeviceLabels(Map<String, String> labels) {}
