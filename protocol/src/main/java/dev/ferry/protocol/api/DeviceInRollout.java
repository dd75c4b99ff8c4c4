package dev.ferry.protocol.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;

/**
 * One device's part in a {@link Rollout}.
 *
 * @param id the device
 * @param wave its wave, from 1
 * @param state where it stands: {@code WAITING} (its wave has not started), {@code ASSIGNED} (sent,
 *     no outcome yet), {@code ACTIVE}, {@code FAILED}, {@code ROLLED_BACK} (by the device in
 *     probation), {@code SUPERSEDED} (a newer rollout took it), {@code REVERTED} (the rollout's
 *     rollback sent it back) or {@code REVOKED} (the device was revoked before it reported)
 * @param previousVersion what it was assigned before, which a rollback restores (null: nothing)
 * @param supersededBy the newer rollout that took it, or null
 * @param reason the device's reason for a failure or rollback, or, while it is {@code ASSIGNED},
 *     why it has not installed the release yet as it reports while it retries; null otherwise
 * @param updatedAt when its state last changed
 * @param variant the variant of the rollout's release the device reports serving, for a release
 *     with several; null otherwise
 * @param prefetchedAt when the device reported the release fetched into its cache ahead of its wave
 *     ({@code PREFETCHED}), for a rollout that prefetches; null otherwise
 * @param online whether the device is connected to the hub's broker now (an {@code ASSIGNED} device
 *     that is not holds its wave until it reconnects); null where not known
 * @param lastSeen when the hub last heard news from the device (as {@link Device#lastSeen()}), or
 *     null
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record DeviceInRollout(
    String id,
    int wave,
    String state,
    String previousVersion,
    String supersededBy,
    String reason,
    Instant updatedAt,
    String variant,
    Instant prefetchedAt,
    Boolean online,
    Instant lastSeen) {

  /**
   * A device's part in the rollout of a release of one model file, or before it reports a variant.
   *
   * @param id the device
   * @param wave its wave
   * @param state where it stands
   * @param previousVersion what it was assigned before, or null
   * @param supersededBy the newer rollout that took it, or null
   * @param reason the device's reason, or null
   * @param updatedAt when its state last changed
   */
  public DeviceInRollout(
      String id,
      int wave,
      String state,
      String previousVersion,
      String supersededBy,
      String reason,
      Instant updatedAt) {
    this(id, wave, state, previousVersion, supersededBy, reason, updatedAt, null, null, null, null);
  }
}
