package dev.ferry.protocol.api;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The body of {@code POST /api/v1/rollouts}: a release to an explicit device list or to the devices
 * a selector matches (also those that register later), and how. The hub checks the values and names
 * a broken rule by its field ({@code strategy.waves[1]}).
 *
 * @param model the model name
 * @param version the release version
 * @param devices device ids; or
 * @param selector a Kubernetes label selector over device labels
 * @param strategy waves, thresholds, gates; null for every device at once
 */
public record RolloutRequest(
    String model, String version, List<String> devices, String selector, RolloutStrategy strategy) {
  /** Copies the device list, keeping a null entry for the hub to name. */
  public RolloutRequest {
    devices = devices == null ? null : Collections.unmodifiableList(new ArrayList<>(devices));
  }
}
