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
 * Looks up whether a device may send samples of a model version: a rollout must have assigned the
 * version to the device, now or before (samples captured offline arrive after later rollouts); the
 * policy is the assigning rollout's, else the version's; the release must not forbid capture; the
 * policy's selector must match the device's labels.
 */
final class CaptureGrants {
  private static final String CURRENT =
      "SELECT rollout_id FROM assignment WHERE device_id = ? AND model = ? AND version = ?";
  private static final String EVER =
      "SELECT d.rollout_id FROM rollout_device d JOIN rollout r ON r.id = d.rollout_id"
          + " WHERE d.device_id = ? AND r.model = ? AND r.version = ?"
          + " AND d.assigned_at IS NOT NULL ORDER BY d.assigned_at DESC";

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
    Optional<String> rollout = assigning(c, deviceId, model, version);
    if (rollout.isEmpty()) {
      return CaptureGrant.refused("device '" + deviceId + "' was never assigned " + what);
    }
    if (catalog.release(c, model, version).map(Release::serving).orElseThrow().forbidsCapture()) {
      return CaptureGrant.refused("the release of " + what + " forbids capture");
    }
    return policy(policies.effective(c, rollout.get(), model, version), what, deviceId, labels);
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

  /**
   * The rollout that assigned the version to the device: the current assignment's, else the latest
   * rollout that ever assigned it (later rollouts took the device since).
   */
  private static Optional<String> assigning(
      Connection c, String deviceId, String model, String version) throws SQLException {
    List<String> current =
        Jdbc.query(c, CURRENT, row -> row.getString(1), deviceId, model, version);
    if (!current.isEmpty()) {
      return Optional.of(current.get(0));
    }
    return Jdbc.query(c, EVER, row -> row.getString(1), deviceId, model, version).stream()
        .findFirst();
  }
}
