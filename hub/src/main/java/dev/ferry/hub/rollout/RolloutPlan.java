package dev.ferry.hub.rollout;

import dev.ferry.protocol.api.InterfaceChange;
import java.time.Instant;
import java.util.List;

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
 * @param interfaceChanges what it changes for its devices' local clients ({@link InterfaceShifts});
 *     empty when nothing
 */
record RolloutPlan(
    String id,
    String model,
    String version,
    String selector,
    Strategy strategy,
    int waves,
    String createdBy,
    Instant createdAt,
    List<InterfaceChange> interfaceChanges) {
  /** Copies the changes. */
  RolloutPlan {
    interfaceChanges = List.copyOf(interfaceChanges);
  }
}
