package dev.ferry.hub.rollout;

import java.util.List;

/**
 * What to roll out: a release to an explicit device list or to the devices a selector matches (also
 * those that register later), and how.
 *
 * @param model the model name
 * @param version the release version
 * @param devices device ids; or
 * @param selector a Kubernetes label selector over device labels
 * @param strategy waves, thresholds, gates; null for every device at once
 */
public record RolloutRequest(
    String model, String version, List<String> devices, String selector, Strategy strategy) {}
