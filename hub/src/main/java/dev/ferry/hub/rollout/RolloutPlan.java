package dev.ferry.hub.rollout;

import java.time.Instant;

/**
 * What a rollout is, fixed when it is made.
 *
 * @param id the id
 * @param model the model
 * @param version the release version
 * @param selector the selector, or null for an explicit device list
 * @param strategy the checked strategy
 * @param waves how many waves
 * @param createdBy the token that made it
 * @param createdAt when
 */
record RolloutPlan(
    String id,
    String model,
    String version,
    String selector,
    Strategy strategy,
    int waves,
    String createdBy,
    Instant createdAt) {}
