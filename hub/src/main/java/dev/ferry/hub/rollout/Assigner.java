package dev.ferry.hub.rollout;

import dev.ferry.hub.catalog.Catalog;
import dev.ferry.hub.catalog.Release;
import dev.ferry.hub.signing.HubKeys;
import dev.ferry.protocol.json.JsonCodec;
import dev.ferry.protocol.release.ReleasePredicate;
import dev.ferry.protocol.release.ReleaseStatement;
import dev.ferry.protocol.signing.PayloadTypes;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Changes what devices are assigned, in the caller's transaction: sends a rollout's release to
 * devices, or sends them back to what they had before. Each changed device gets a new signed
 * desired state, returned for publishing after the commit.
 */
@ApplicationScoped
class Assigner {
  private final JsonCodec codec = new JsonCodec(16 * 1024 * 1024);

  @Inject Clock clock;
  @Inject Catalog catalog;
  @Inject HubKeys keys;
  @Inject DesiredStates desired;

  private record Current(String version, String rolloutId) {}

  /**
   * Assigns a rollout's release to some of its devices. A device that a newer rollout of the same
   * model holds is marked SUPERSEDED instead; an older rollout that held a device loses it.
   *
   * @param c the transaction
   * @param rollout the rollout
   * @param devices its WAITING devices to assign
   * @param now the current time
   * @return the desired states to publish, by device
   */
  Map<String, DesiredStates.Signed> assign(
      Connection c, RolloutRow rollout, Collection<String> devices, Instant now)
      throws SQLException {
    Map<String, DesiredStates.Signed> signed = new LinkedHashMap<>();
    if (devices.isEmpty()) {
      return signed;
    }
    Map<String, String> newer = heldByNewer(c, rollout);
    Map<String, Current> current = assignments(c, rollout.model());
    latest(c, rollout.model(), rollout.version());
    try (PreparedStatement supersede =
            c.prepareStatement(
                "UPDATE rollout_device SET state = 'SUPERSEDED', superseded_by = ?, updated_at = ?"
                    + " WHERE device_id = ? AND rollout_id <> ?"
                    + " AND state IN ('WAITING', 'ASSIGNED', 'ACTIVE', 'FAILED', 'ROLLED_BACK')"
                    + " AND rollout_id IN (SELECT id FROM rollout WHERE model = ? AND created_at <= ?)");
        PreparedStatement assigned =
            c.prepareStatement(
                "UPDATE rollout_device SET state = 'ASSIGNED', previous_version = ?,"
                    + " previous_rollout = ?, desired_sequence = ?, assigned_at = ?, updated_at = ?,"
                    + " reason = NULL WHERE rollout_id = ? AND device_id = ?")) {
      List<String> taken = new ArrayList<>();
      for (String device : devices) {
        String winner = newer.get(device);
        if (winner != null) {
          RolloutStore.setState(c, rollout.id(), device, DeviceProgress.SUPERSEDED, null, now);
          markSupersededBy(c, rollout.id(), device, winner);
          continue;
        }
        supersede.setString(1, rollout.id());
        RolloutStore.setTime(supersede, 2, now);
        supersede.setString(3, device);
        supersede.setString(4, rollout.id());
        supersede.setString(5, rollout.model());
        RolloutStore.setTime(supersede, 6, rollout.createdAt());
        supersede.addBatch();
        taken.add(device);
      }
      supersede.executeBatch();
      setAssignments(c, taken, rollout.model(), rollout.version(), rollout.id());
      signed.putAll(desired.nextAll(c, taken, now));
      for (String device : taken) {
        Current before = current.get(device);
        boolean ours = before != null && rollout.id().equals(before.rolloutId());
        assigned.setString(1, before == null || ours ? null : before.version());
        assigned.setString(2, before == null || ours ? null : before.rolloutId());
        assigned.setLong(3, signed.get(device).sequence());
        RolloutStore.setTime(assigned, 4, now);
        RolloutStore.setTime(assigned, 5, now);
        assigned.setString(6, rollout.id());
        assigned.setString(7, device);
        assigned.addBatch();
      }
      assigned.executeBatch();
    }
    return signed;
  }

  /**
   * Sends the devices a rollout touched back to what they were assigned before it (nothing, if they
   * had nothing), under a new release of the old bytes. Devices a newer rollout took are left
   * alone.
   *
   * @param c the transaction
   * @param rollout the rollout
   * @param now the current time
   * @return the desired states to publish, by device
   */
  Map<String, DesiredStates.Signed> revert(Connection c, RolloutRow rollout, Instant now)
      throws SQLException {
    Map<String, Current> previous = new LinkedHashMap<>();
    try (PreparedStatement query =
        c.prepareStatement(
            "SELECT rd.device_id, rd.previous_version, rd.previous_rollout FROM rollout_device rd"
                + " JOIN assignment a ON a.device_id = rd.device_id AND a.model = ?"
                + " AND a.rollout_id = rd.rollout_id"
                + " WHERE rd.rollout_id = ? AND rd.state IN ('ASSIGNED', 'ACTIVE', 'FAILED', 'ROLLED_BACK')"
                + " ORDER BY rd.device_id")) {
      query.setString(1, rollout.model());
      query.setString(2, rollout.id());
      try (ResultSet row = query.executeQuery()) {
        while (row.next()) {
          previous.put(row.getString(1), new Current(row.getString(2), row.getString(3)));
        }
      }
    }
    Set<String> reissued = new HashSet<>();
    Map<String, DesiredStates.Signed> signed = new LinkedHashMap<>();
    for (var entry : previous.entrySet()) {
      String device = entry.getKey();
      Current before = entry.getValue();
      if (before.version() == null) {
        try (PreparedStatement delete =
            c.prepareStatement("DELETE FROM assignment WHERE device_id = ? AND model = ?")) {
          delete.setString(1, device);
          delete.setString(2, rollout.model());
          delete.executeUpdate();
        }
      } else {
        if (reissued.add(before.version())) {
          reissue(c, rollout.model(), before.version(), now);
        }
        setAssignment(c, device, rollout.model(), before.version(), before.rolloutId());
      }
      RolloutStore.setState(c, rollout.id(), device, DeviceProgress.REVERTED, null, now);
    }
    signed.putAll(desired.nextAll(c, previous.keySet(), now));
    return signed;
  }

  /** Re-releases the version unless it is the model's latest release (see Catalog#reissue). */
  private void latest(Connection c, String model, String version) throws SQLException {
    reissue(c, model, version, clock.instant());
  }

  private Release reissue(Connection c, String model, String version, Instant now)
      throws SQLException {
    Release old = catalog.release(c, model, version).orElseThrow();
    return catalog.reissue(
        c,
        model,
        version,
        seq -> {
          ReleaseStatement statement =
              codec.decode(old.statement().payloadBytes(), ReleaseStatement.class);
          ReleasePredicate was = statement.predicate();
          ReleasePredicate predicate =
              new ReleasePredicate(
                  was.model(), was.version(), seq, now, was.servingDigest(), was.goldenDigest());
          ReleaseStatement again =
              new ReleaseStatement(
                  statement.type(), statement.subject(), statement.predicateType(), predicate);
          return keys.releaseSigner().sign(PayloadTypes.IN_TOTO, codec.encode(again));
        });
  }

  /** Devices of this rollout that a newer live rollout of the same model also holds. */
  private static Map<String, String> heldByNewer(Connection c, RolloutRow rollout)
      throws SQLException {
    Map<String, String> held = new HashMap<>();
    for (RolloutRow newer : RolloutStore.newerLive(c, rollout.model(), rollout.createdAt())) {
      for (String device :
          RolloutStore.devices(
              c,
              newer.id(),
              Integer.MAX_VALUE,
              List.of(
                  DeviceProgress.WAITING,
                  DeviceProgress.ASSIGNED,
                  DeviceProgress.ACTIVE,
                  DeviceProgress.FAILED,
                  DeviceProgress.ROLLED_BACK))) {
        held.putIfAbsent(device, newer.id());
      }
    }
    return held;
  }

  private static void markSupersededBy(Connection c, String rolloutId, String device, String winner)
      throws SQLException {
    try (PreparedStatement update =
        c.prepareStatement(
            "UPDATE rollout_device SET superseded_by = ? WHERE rollout_id = ? AND device_id = ?")) {
      update.setString(1, winner);
      update.setString(2, rolloutId);
      update.setString(3, device);
      update.executeUpdate();
    }
  }

  private static Map<String, Current> assignments(Connection c, String model) throws SQLException {
    Map<String, Current> current = new HashMap<>();
    try (PreparedStatement query =
        c.prepareStatement(
            "SELECT device_id, version, rollout_id FROM assignment WHERE model = ?")) {
      query.setString(1, model);
      try (ResultSet row = query.executeQuery()) {
        while (row.next()) {
          current.put(row.getString(1), new Current(row.getString(2), row.getString(3)));
        }
      }
    }
    return current;
  }

  private static void setAssignment(
      Connection c, String device, String model, String version, String rolloutId)
      throws SQLException {
    setAssignments(c, List.of(device), model, version, rolloutId);
  }

  private static void setAssignments(
      Connection c, List<String> devices, String model, String version, String rolloutId)
      throws SQLException {
    if (devices.isEmpty()) {
      return;
    }
    try (PreparedStatement insert =
            c.prepareStatement(
                "INSERT INTO assignment (version, rollout_id, device_id, model) VALUES (?, ?, ?, ?)"
                    + " ON CONFLICT DO NOTHING");
        PreparedStatement update =
            c.prepareStatement(
                "UPDATE assignment SET version = ?, rollout_id = ? WHERE device_id = ? AND model = ?")) {
      for (String device : devices) {
        bind(insert, device, model, version, rolloutId);
        insert.addBatch();
        bind(update, device, model, version, rolloutId);
        update.addBatch();
      }
      insert.executeBatch();
      update.executeBatch();
    }
  }

  private static void bind(
      PreparedStatement statement, String device, String model, String version, String rolloutId)
      throws SQLException {
    statement.setString(1, version);
    statement.setString(2, rolloutId);
    statement.setString(3, device);
    statement.setString(4, model);
  }
}
