package dev.ferry.hub.capture;

import dev.ferry.hub.catalog.Catalog;
import dev.ferry.hub.catalog.Release;
import dev.ferry.hub.db.Jdbc;
import dev.ferry.protocol.capture.CapturePolicy;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Looks up whether a device may send samples of a model version: the version must be the one
 * assigned to it, or the one the current assignment replaced (samples captured before the switch
 * still arrive after it); the policy is the assigning rollout's, else the version's; the release
 * must not forbid capture; the policy's selector must match the device's labels.
 */
final class CaptureGrants {
  private static final String ASSIGNED =
      "SELECT a.version, a.rollout_id, d.previous_version, d.previous_rollout FROM assignment a"
          + " LEFT JOIN rollout_device d ON d.rollout_id = a.rollout_id"
          + " AND d.device_id = a.device_id WHERE a.device_id = ? AND a.model = ?";

  private final Catalog catalog;
  private final CapturePolicies policies;

  CaptureGrants(Catalog catalog, CapturePolicies policies) {
    this.catalog = catalog;
    this.policies = policies;
  }

  /** A device's grant for a model version, with the device's labels. */
  CaptureGrant of(
      Connection c, String deviceId, Map<String, String> labels, String model, String version)
      throws SQLException {
    String what = "model '" + model + "' version '" + version + "'";
    Optional<Assignment> assigned = assignment(c, deviceId, model, version);
    if (assigned.isEmpty()) {
      return CaptureGrant.refused("device '" + deviceId + "' is not assigned " + what);
    }
    if (catalog.release(c, model, version).map(Release::serving).orElseThrow().forbidsCapture()) {
      return CaptureGrant.refused("the release of " + what + " forbids capture");
    }
    return policy(
        policies.effective(c, assigned.get().rolloutId(), model, version), what, deviceId, labels);
  }

  private static CaptureGrant policy(
      Optional<PolicyRecord> record, String what, String deviceId, Map<String, String> labels) {
    if (record.isEmpty()) {
      return CaptureGrant.refused("capture is off for " + what + " on device '" + deviceId + "'");
    }
    CapturePolicy policy = record.get().policy();
    return policy.appliesTo(labels)
        ? CaptureGrant.of(record.get())
        : CaptureGrant.refused(
            String.format(
                "the capture policy of %s does not apply to device '%s' (selector %s)",
                what, deviceId, policy.selector()));
  }

  /** The rollout that assigned the version to the device, if it is or was just assigned. */
  private static Optional<Assignment> assignment(
      Connection c, String deviceId, String model, String version) throws SQLException {
    List<Assignment> rows =
        Jdbc.query(c, ASSIGNED, row -> Assignment.read(row, version), deviceId, model);
    return rows.stream().filter(a -> a != null).findFirst();
  }

  /** The rollout that assigned a version; {@code rolloutId} null when not known. */
  private record Assignment(String rolloutId) {
    static Assignment read(java.sql.ResultSet row, String version) throws SQLException {
      if (version.equals(row.getString(1))) {
        return new Assignment(row.getString(2));
      }
      return version.equals(row.getString(3)) ? new Assignment(row.getString(4)) : null;
    }
  }
}
