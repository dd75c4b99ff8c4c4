package dev.ferry.hub.rollout;

import dev.ferry.hub.capture.PolicyReissue;
import dev.ferry.hub.capture.PolicyScope;
import dev.ferry.hub.db.Database;
import dev.ferry.hub.db.Jdbc;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.util.List;
import java.util.Map;

/**
 * Re-signs the desired states of the devices a capture policy change reaches: those assigned the
 * version, or those the rollout assigned. A new sequence, the same models, the new policy.
 */
@ApplicationScoped
public class CapturePolicyReissue implements PolicyReissue {
  private static final String OF_VERSION =
      "SELECT device_id FROM assignment WHERE model = ? AND version = ? ORDER BY device_id";
  private static final String OF_ROLLOUT =
      "SELECT device_id FROM assignment WHERE rollout_id = ? ORDER BY device_id";

  @Inject Clock clock;
  @Inject Database db;
  @Inject DesiredStates desired;

  @Override
  public int reissue(PolicyScope scope) {
    Map<String, DesiredStates.Signed> signed =
        db.transaction(c -> desired.nextAll(c, devices(c, scope), clock.instant()));
    desired.publish(signed);
    return signed.size();
  }

  private static List<String> devices(java.sql.Connection c, PolicyScope scope)
      throws java.sql.SQLException {
    return scope.isRollout()
        ? Jdbc.query(c, OF_ROLLOUT, row -> row.getString(1), scope.rolloutId())
        : Jdbc.query(c, OF_VERSION, row -> row.getString(1), scope.model(), scope.version());
  }
}
