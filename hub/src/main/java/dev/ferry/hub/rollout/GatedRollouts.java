package dev.ferry.hub.rollout;

import dev.ferry.hub.telemetry.RolloutMetrics;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Collection;
import java.util.List;

/** Tells the telemetry which devices' batches count toward the rollouts with metric gates. */
@ApplicationScoped
class GatedRollouts implements RolloutMetrics.Watched {
  @Override
  public List<RolloutMetrics.Watch> of(Connection c, Collection<String> devices)
      throws SQLException {
    return RolloutDeviceStore.gated(c, devices);
  }
}
