package dev.ferry.hub.rollout;

import dev.ferry.hub.db.Database;
import dev.ferry.hub.db.Jdbc;
import dev.ferry.hub.identity.DeviceRevoked;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Clock;
import org.jboss.logging.Logger;

/**
 * A device revoked while live rollouts wait for it (in a wave not started, or assigned and not yet
 * reported) leaves them: nothing reaches it any more, and a wave that waited for every device would
 * wait for it for good. It is marked {@link DeviceProgress#REVOKED}, out of its wave's count.
 */
@ApplicationScoped
class RevokedDevices {
  private static final Logger LOG = Logger.getLogger(RevokedDevices.class);
  private static final String LEAVE =
      "UPDATE rollout_device SET state = ?, reason = ?, updated_at = ?"
          + " WHERE device_id = ? AND state IN (?, ?) AND rollout_id IN"
          + " (SELECT id FROM rollout WHERE state IN "
          + Jdbc.in(RolloutState.LIVE.size())
          + ")";

  @Inject Database db;
  @Inject Clock clock;

  void revoked(@Observes DeviceRevoked event) {
    int left =
        db.transaction(
            c ->
                Jdbc.update(
                    c,
                    LEAVE,
                    DeviceProgress.REVOKED,
                    "the device was revoked",
                    clock.instant(),
                    event.deviceId(),
                    DeviceProgress.WAITING,
                    DeviceProgress.ASSIGNED,
                    RolloutState.LIVE));
    if (left > 0) {
      LOG.infof("revoked device %s left %d live rollouts", event.deviceId(), left);
    }
  }
}
