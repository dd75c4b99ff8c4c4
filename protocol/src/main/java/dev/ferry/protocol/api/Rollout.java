package dev.ferry.protocol.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A rollout as {@code /api/v1/rollouts} returns it: a release sent to the devices of a selection,
 * wave by wave.
 *
 * @param id the rollout id
 * @param model the model
 * @param version the release version
 * @param selector the label selector it was made with, or null for an explicit device list
 * @param strategy how it proceeds, defaults filled in
 * @param state where it stands: {@code CREATED}, {@code RUNNING}, {@code PAUSED}, {@code
 *     SUCCEEDED}, {@code FAILED}, {@code ROLLED_BACK} or {@code CANCELLED}
 * @param wave the current wave, from 1
 * @param waves how many waves
 * @param reason why it paused, failed or was rolled back; what it waits for; or null
 * @param progress how many devices over all waves are in each {@link DeviceInRollout#state()}
 * @param waveProgress each wave's devices by state (in {@code GET /api/v1/rollouts/{id}} only)
 * @param devices each device's progress (in {@code GET /api/v1/rollouts/{id}} only)
 * @param metrics what its devices served per version, execution provider and variant, as the metric
 *     gates judge it (in {@code GET /api/v1/rollouts/{id}} of a rollout with metric gates only)
 * @param interfaceChanges the interface changes its devices' local clients see, by the release they
 *     were assigned when it was made; null (absent) when there are none
 * @param createdBy the token that made it
 * @param createdAt when
 * @param updatedAt when its state last changed
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Rollout(
    String id,
    String model,
    String version,
    String selector,
    RolloutStrategy strategy,
    String state,
    int wave,
    int waves,
    String reason,
    Map<String, Integer> progress,
    List<WaveProgress> waveProgress,
    List<DeviceInRollout> devices,
    List<ServedMetrics> metrics,
    List<InterfaceChange> interfaceChanges,
    String createdBy,
    Instant createdAt,
    Instant updatedAt) {
  /** Copies the collections, keeping the order of the states. */
  public Rollout {
    progress = progress == null ? null : Collections.unmodifiableMap(new LinkedHashMap<>(progress));
    waveProgress = waveProgress == null ? null : List.copyOf(waveProgress);
    devices = devices == null ? null : List.copyOf(devices);
    metrics = metrics == null ? null : List.copyOf(metrics);
    interfaceChanges = interfaceChanges == null ? null : List.copyOf(interfaceChanges);
  }
}
