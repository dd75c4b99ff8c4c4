package dev.ferry.hub.rollout;

import dev.ferry.hub.db.Jdbc;
import dev.ferry.protocol.device.DeviceEvent;
import dev.ferry.protocol.device.EventType;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.SQLException;

/**
 * Marks a waiting device of a prefetching rollout as having its release in the cache when it
 * reports {@code PREFETCHED} for that release; the rollout's view counts them per wave.
 */
@ApplicationScoped
public class PrefetchReports {
  private static final String MARK =
      "UPDATE rollout_device SET prefetched_at = ? WHERE device_id = ? AND prefetched_at IS NULL"
          + " AND state = ? AND rollout_id IN"
          + " (SELECT id FROM rollout WHERE model = ? AND version = ? AND prefetch = TRUE)";

  /**
   * Records what a device event says about a prefetch, in the caller's transaction; any other event
   * changes nothing.
   *
   * @param c the transaction
   * @param event the event, stored for the first time
   * @return how many rollouts' device rows it marked
   */
  public int record(Connection c, DeviceEvent event) throws SQLException {
    if (event.type() != EventType.PREFETCHED || event.model() == null || event.version() == null) {
      return 0;
    }
    return Jdbc.update(
        c,
        MARK,
        event.at(),
        event.deviceId(),
        DeviceProgress.WAITING,
        event.model(),
        event.version());
  }
}
