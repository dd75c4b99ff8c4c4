package dev.ferry.cli;

import dev.ferry.protocol.device.DeviceEvent;
import dev.ferry.protocol.device.EventType;
import dev.ferry.protocol.device.ReportedState;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * What a device reported of the trust chain: the root version it holds, its freshness (a STALE one
 * since its newest STALE event), the revoked releases it withdrew or refused.
 */
final class DeviceTrust {
  private DeviceTrust() {}

  /** Adds the rows to a device's table; nothing for a device that never reported. */
  static void rows(Table table, String deviceId, String reported, HubClient client) {
    if (reported == null) {
      return;
    }
    ReportedState state = Answer.decode(reported, ReportedState.class);
    table.row("root version", state.rootVersion());
    table.row("freshness", freshness(state, deviceId, client));
    table.row(
        "revoked releases", state.revoked().isEmpty() ? null : String.join(", ", state.revoked()));
  }

  private static String freshness(ReportedState state, String deviceId, HubClient client) {
    if (!ReportedState.STALE.equals(state.freshness())) {
      return state.freshness() == null
          ? null
          : state.freshness() + " (reported " + state.reportedAt() + ")";
    }
    String query =
        "/api/v1/events?limit=1000&device=" + URLEncoder.encode(deviceId, StandardCharsets.UTF_8);
    return client.get(query).listOf(DeviceEvent.class).stream()
        .filter(e -> e.type() == EventType.STALE)
        .findFirst()
        .map(e -> ReportedState.STALE + " since " + e.at())
        .orElse(ReportedState.STALE + " (reported " + state.reportedAt() + ")");
  }
}
