package dev.ferry.hub.rollout;

import java.time.Instant;
import java.util.List;

/**
 * An assignment of a release to devices.
 *
 * @param id the rollout id
 * @param model the model
 * @param version the release version
 * @param selector the label selector it was made with, or null for an explicit device list
 * @param devices the devices it targets
 * @param createdBy the token that made it
 * @param createdAt when
 */
public record Rollout(
    String id,
    String model,
    String version,
    String selector,
    List<String> devices,
    String createdBy,
    Instant createdAt) {}
