package dev.ferry.hub.rollout;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A rollout: a release sent to the devices of a selection, wave by wave.
 *
 * @param id the rollout id
 * @param model the model
 * @param version the release version
 * @param selector the label selector it was made with, or null for an explicit device list
 * @param strategy how it proceeds, defaults filled in
 * @param state where it stands
 * @param wave the current wave, from 1
 * @param waves how many waves
 * @param reason why it paused, failed or was rolled back; what it waits for; or null
 * @param progress devices by state over all waves
 * @param waveProgress each wave's devices by state (in {@code GET /api/v1/rollouts/{id}} only)
 * @param devices each device's progress (in {@code GET /api/v1/rollouts/{id}} only)
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
    Strategy strategy,
    RolloutState state,
    int wave,
    int waves,
    String reason,
    Map<DeviceProgress, Integer> progress,
    List<WaveProgress> waveProgress,
    List<DeviceInRollout> devices,
    String createdBy,
    Instant createdAt,
    Instant updatedAt) {

  /**
   * One wave.
   *
   * @param wave its number, from 1
   * @param devices how many devices it has
   * @param progress its devices by state
   */
  public record WaveProgress(int wave, int devices, Map<DeviceProgress, Integer> progress) {}

  /**
   * One device's part in a rollout.
   *
   * @param id the device
   * @param wave its wave, from 1
   * @param state where it stands
   * @param previousVersion what it was assigned before, which a rollback restores (null: nothing)
   * @param supersededBy the newer rollout that took it, or null
   * @param reason the device's reason for a failure or rollback, or null
   * @param updatedAt when its state last changed
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record DeviceInRollout(
      String id,
      int wave,
      DeviceProgress state,
      String previousVersion,
      String supersededBy,
      String reason,
      Instant updatedAt) {}
}
