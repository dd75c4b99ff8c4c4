package dev.ferry.hub.rollout;

import dev.ferry.hub.audit.AuditLog;
import dev.ferry.hub.config.HubConfig;
import dev.ferry.hub.fleet.Devices;
import dev.ferry.hub.fleet.LabelSelector;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Adds devices that match a rollout's selector and joined (or were labelled) since it was made,
 * unless a newer rollout of the same model selects them: they go into the current wave, or after
 * the last one.
 */
@ApplicationScoped
class Enrollment {
  @Inject HubConfig config;
  @Inject Devices devices;
  @Inject AuditLog audit;

  /** Enrolls the devices that joined, at most once per enroll interval. */
  RolloutRow enroll(Connection c, RolloutRow r, Instant now) throws SQLException {
    Instant last = r.status().enrolledAt();
    if (r.selector() == null
        || (last != null && last.plus(config.rollout().enrollInterval()).isAfter(now))) {
      return r;
    }
    List<String> joined = joined(c, r);
    if (!joined.isEmpty()) {
      add(c, r, joined, now);
    }
    return r.with(r.status().enrolled(now));
  }

  private List<String> joined(Connection c, RolloutRow r) throws SQLException {
    LabelSelector selector = LabelSelector.parse(r.selector());
    Set<String> known = new HashSet<>(everyDevice(c, r.id()));
    List<LabelSelector> newer = new ArrayList<>();
    for (RolloutRow other : RolloutStore.newerLive(c, r.model(), r.createdAt())) {
      known.addAll(everyDevice(c, other.id()));
      newer.addAll(selector(other));
    }
    List<String> joined = new ArrayList<>();
    for (Devices.Labelled device : devices.labels()) {
      if (!known.contains(device.id())
          && selector.test(device.labels())
          && newer.stream().noneMatch(s -> s.test(device.labels()))) {
        joined.add(device.id());
      }
    }
    return joined;
  }

  private static List<LabelSelector> selector(RolloutRow r) {
    return r.selector() == null ? List.of() : List.of(LabelSelector.parse(r.selector()));
  }

  private static List<String> everyDevice(Connection c, String rolloutId) throws SQLException {
    return RolloutDeviceStore.all(c, rolloutId);
  }

  private void add(Connection c, RolloutRow r, List<String> joined, Instant now)
      throws SQLException {
    boolean afterTheLast = r.state() == RolloutState.SUCCEEDED || r.state() == RolloutState.CREATED;
    int wave = afterTheLast ? r.waves() - 1 : r.wave();
    Map<String, Integer> waves = new HashMap<>();
    joined.forEach(device -> waves.put(device, wave));
    RolloutDeviceStore.add(c, r.id(), waves, now);
    String details = joined.size() + " devices joined wave " + (wave + 1) + ": " + preview(joined);
    audit.record(c, AuditLog.HUB, "rollout.devices-joined", r.target(), details);
  }

  private static String preview(List<String> devices) {
    return devices.size() <= 10
        ? String.join(", ", devices)
        : String.join(", ", devices.subList(0, 10)) + ", …";
  }
}
