package dev.ferry.hub.rollout;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.ferry.protocol.api.DeviceInRollout;
import dev.ferry.protocol.api.RolloutStrategy;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The rollout tables: rollouts and every device's part in them. All in the caller's transaction.
 */
final class RolloutStore {
  private static final ObjectMapper JSON =
      JsonMapper.builder().addModule(new JavaTimeModule()).build();
  private static final String COLUMNS =
      "id, model, version, selector, strategy, state, wave, waves, wave_started_at,"
          + " wave_settled_at, reason, paused_for, enrolled_at, created_by, created_at, updated_at";

  private RolloutStore() {}

  static void insert(Connection c, RolloutRow r, Instant nextStep) throws SQLException {
    RolloutPlan p = r.plan();
    RolloutStatus s = r.status();
    try (PreparedStatement insert =
        c.prepareStatement(
            "INSERT INTO rollout ("
                + COLUMNS
                + ", devices, next_step_at, gated) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?,"
                + " ?, ?, '[]', ?, ?)")) {
      insert.setString(1, p.id());
      insert.setString(2, p.model());
      insert.setString(3, p.version());
      insert.setString(4, p.selector());
      insert.setString(5, json(p.strategy().toWire()));
      insert.setString(6, s.state().name());
      insert.setInt(7, s.wave());
      insert.setInt(8, p.waves());
      setTime(insert, 9, s.waveStartedAt());
      setTime(insert, 10, s.waveSettledAt());
      insert.setString(11, s.reason());
      insert.setString(12, s.pausedFor() == null ? null : s.pausedFor().name());
      setTime(insert, 13, s.enrolledAt());
      insert.setString(14, p.createdBy());
      setTime(insert, 15, p.createdAt());
      setTime(insert, 16, s.updatedAt());
      setTime(insert, 17, nextStep);
      insert.setBoolean(18, p.strategy().metricGates() != null);
      insert.executeUpdate();
    }
  }

  /** Writes the changeable fields of a rollout and when the engine looks at it next. */
  static void update(Connection c, RolloutRow r, Instant nextStep) throws SQLException {
    try (PreparedStatement update =
        c.prepareStatement(
            "UPDATE rollout SET state = ?, wave = ?, wave_started_at = ?, wave_settled_at = ?,"
                + " reason = ?, paused_for = ?, enrolled_at = ?, updated_at = ?, next_step_at = ?"
                + " WHERE id = ?")) {
      RolloutStatus s = r.status();
      update.setString(1, s.state().name());
      update.setInt(2, s.wave());
      setTime(update, 3, s.waveStartedAt());
      setTime(update, 4, s.waveSettledAt());
      update.setString(5, s.reason());
      update.setString(6, s.pausedFor() == null ? null : s.pausedFor().name());
      setTime(update, 7, s.enrolledAt());
      setTime(update, 8, s.updatedAt());
      setTime(update, 9, nextStep);
      update.setString(10, r.id());
      update.executeUpdate();
    }
  }

  static Optional<RolloutRow> find(Connection c, String id) throws SQLException {
    return one(c, "SELECT " + COLUMNS + " FROM rollout WHERE id = ?", id);
  }

  /** Locks a rollout's row; an API action and the engine never change one rollout at once. */
  static Optional<RolloutRow> lock(Connection c, String id) throws SQLException {
    return one(c, "SELECT " + COLUMNS + " FROM rollout WHERE id = ? FOR UPDATE", id);
  }

  /**
   * Claims the rollout most overdue for a step that no other replica holds.
   *
   * @param c the transaction, which holds the row lock until it ends
   * @param now the current time
   * @return the claimed rollout, if any is due
   */
  static Optional<RolloutRow> claimDue(Connection c, Instant now) throws SQLException {
    try (PreparedStatement query =
        c.prepareStatement(
            "SELECT "
                + COLUMNS
                + " FROM rollout WHERE state IN "
                + marks(RolloutState.LIVE.size())
                + " AND next_step_at <= ? ORDER BY next_step_at LIMIT 1 FOR UPDATE SKIP LOCKED")) {
      int next = bindNames(query, 1, RolloutState.LIVE);
      setTime(query, next, now);
      try (ResultSet row = query.executeQuery()) {
        return row.next() ? Optional.of(read(row)) : Optional.empty();
      }
    }
  }

  /** Rollouts, newest first. */
  static List<RolloutRow> list(Connection c, String model, RolloutState state, int limit)
      throws SQLException {
    StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM rollout WHERE 1 = 1");
    List<String> args = new ArrayList<>();
    if (model != null) {
      sql.append(" AND model = ?");
      args.add(model);
    }
    if (state != null) {
      sql.append(" AND state = ?");
      args.add(state.name());
    }
    sql.append(" ORDER BY created_at DESC, id LIMIT ").append(limit);
    List<RolloutRow> rows = new ArrayList<>();
    try (PreparedStatement query = c.prepareStatement(sql.toString())) {
      for (int i = 0; i < args.size(); i++) {
        query.setString(i + 1, args.get(i));
      }
      try (ResultSet row = query.executeQuery()) {
        while (row.next()) {
          rows.add(read(row));
        }
      }
    }
    return rows;
  }

  /** The live rollouts of a model made after a time, newest first. */
  static List<RolloutRow> newerLive(Connection c, String model, Instant after) throws SQLException {
    List<RolloutRow> rows = new ArrayList<>();
    try (PreparedStatement query =
        c.prepareStatement(
            "SELECT "
                + COLUMNS
                + " FROM rollout WHERE model = ? AND created_at > ? AND state IN "
                + marks(RolloutState.LIVE.size())
                + " ORDER BY created_at DESC")) {
      query.setString(1, model);
      setTime(query, 2, after);
      bindNames(query, 3, RolloutState.LIVE);
      try (ResultSet row = query.executeQuery()) {
        while (row.next()) {
          rows.add(read(row));
        }
      }
    }
    return rows;
  }

  /** Adds devices to a rollout as WAITING in a wave. */
  static void addDevices(
      Connection c, String rolloutId, Collection<String> devices, int wave, Instant now)
      throws SQLException {
    try (PreparedStatement insert =
        c.prepareStatement(
            "INSERT INTO rollout_device (rollout_id, device_id, wave, state, updated_at)"
                + " VALUES (?, ?, ?, ?, ?)")) {
      for (String device : devices) {
        insert.setString(1, rolloutId);
        insert.setString(2, device);
        insert.setInt(3, wave);
        insert.setString(4, DeviceProgress.WAITING.name());
        setTime(insert, 5, now);
        insert.addBatch();
      }
      if (!devices.isEmpty()) {
        insert.executeBatch();
      }
    }
  }

  /** The devices of a rollout in some states, in waves up to {@code maxWave}. */
  static List<String> devices(
      Connection c, String rolloutId, int maxWave, Collection<DeviceProgress> states)
      throws SQLException {
    List<String> devices = new ArrayList<>();
    try (PreparedStatement query =
        c.prepareStatement(
            "SELECT device_id FROM rollout_device WHERE rollout_id = ? AND wave <= ?"
                + " AND state IN "
                + marks(states.size())
                + " ORDER BY wave, device_id")) {
      query.setString(1, rolloutId);
      query.setInt(2, maxWave);
      bindNames(query, 3, states);
      try (ResultSet row = query.executeQuery()) {
        while (row.next()) {
          devices.add(row.getString(1));
        }
      }
    }
    return devices;
  }

  /**
   * Devices of running rollouts ASSIGNED before a time that have not reported the outcome.
   *
   * @param c the transaction
   * @param before assigned before this
   * @param limit at most this many
   * @return their ids
   */
  static List<String> quiet(Connection c, Instant before, int limit) throws SQLException {
    List<String> devices = new ArrayList<>();
    try (PreparedStatement query =
        c.prepareStatement(
            "SELECT DISTINCT rd.device_id FROM rollout_device rd"
                + " JOIN rollout r ON r.id = rd.rollout_id"
                + " WHERE r.state = ? AND rd.state = ? AND rd.assigned_at < ?"
                + " ORDER BY rd.device_id LIMIT "
                + limit)) {
      query.setString(1, RolloutState.RUNNING.name());
      query.setString(2, DeviceProgress.ASSIGNED.name());
      setTime(query, 3, before);
      try (ResultSet row = query.executeQuery()) {
        while (row.next()) {
          devices.add(row.getString(1));
        }
      }
    }
    return devices;
  }

  /** Every device of a rollout, by wave and id. */
  static List<DeviceInRollout> progress(Connection c, String rolloutId) throws SQLException {
    List<DeviceInRollout> devices = new ArrayList<>();
    try (PreparedStatement query =
        c.prepareStatement(
            "SELECT device_id, wave, state, previous_version, superseded_by, reason, updated_at"
                + " FROM rollout_device WHERE rollout_id = ? ORDER BY wave, device_id")) {
      query.setString(1, rolloutId);
      try (ResultSet row = query.executeQuery()) {
        while (row.next()) {
          devices.add(
              new DeviceInRollout(
                  row.getString(1),
                  row.getInt(2) + 1,
                  DeviceProgress.valueOf(row.getString(3)).name(),
                  row.getString(4),
                  row.getString(5),
                  row.getString(6),
                  row.getTimestamp(7).toInstant()));
        }
      }
    }
    return devices;
  }

  /** Devices by state, per wave (index = wave from 0). */
  static List<Map<DeviceProgress, Integer>> counts(Connection c, String rolloutId, int waves)
      throws SQLException {
    List<Map<DeviceProgress, Integer>> counts = new ArrayList<>();
    for (int i = 0; i < waves; i++) {
      counts.add(new EnumMap<>(DeviceProgress.class));
    }
    try (PreparedStatement query =
        c.prepareStatement(
            "SELECT wave, state, COUNT(*) FROM rollout_device WHERE rollout_id = ?"
                + " GROUP BY wave, state")) {
      query.setString(1, rolloutId);
      try (ResultSet row = query.executeQuery()) {
        while (row.next()) {
          int wave = row.getInt(1);
          while (counts.size() <= wave) {
            counts.add(new EnumMap<>(DeviceProgress.class));
          }
          counts.get(wave).put(DeviceProgress.valueOf(row.getString(2)), row.getInt(3));
        }
      }
    }
    return counts;
  }

  /**
   * Moves one device of a rollout to another state.
   *
   * @param c the transaction
   * @param rolloutId the rollout
   * @param device the device
   * @param state the new state
   * @param reason the reason, or null
   * @param now the current time
   */
  static void setState(
      Connection c,
      String rolloutId,
      String device,
      DeviceProgress state,
      String reason,
      Instant now)
      throws SQLException {
    try (PreparedStatement update =
        c.prepareStatement(
            "UPDATE rollout_device SET state = ?, reason = ?, updated_at = ?"
                + " WHERE rollout_id = ? AND device_id = ?")) {
      update.setString(1, state.name());
      update.setString(2, reason);
      setTime(update, 3, now);
      update.setString(4, rolloutId);
      update.setString(5, device);
      update.executeUpdate();
    }
  }

  static void setTime(PreparedStatement statement, int index, Instant at) throws SQLException {
    if (at == null) {
      statement.setNull(index, Types.TIMESTAMP_WITH_TIMEZONE);
    } else {
      statement.setTimestamp(index, Timestamp.from(at));
    }
  }

  /** {@code (?, ?, …)} for an IN list of {@code count} values. */
  static String marks(int count) {
    return "(" + String.join(", ", Collections.nCopies(count, "?")) + ")";
  }

  /** Binds enum names from an index on; returns the next index. */
  static int bindNames(PreparedStatement statement, int from, Collection<? extends Enum<?>> names)
      throws SQLException {
    int index = from;
    for (Enum<?> name : names) {
      statement.setString(index++, name.name());
    }
    return index;
  }

  private static Optional<RolloutRow> one(Connection c, String sql, String id) throws SQLException {
    try (PreparedStatement query = c.prepareStatement(sql)) {
      query.setString(1, id);
      try (ResultSet row = query.executeQuery()) {
        return row.next() ? Optional.of(read(row)) : Optional.empty();
      }
    }
  }

  private static RolloutRow read(ResultSet row) throws SQLException {
    String pausedFor = row.getString(12);
    RolloutPlan plan =
        new RolloutPlan(
            row.getString(1),
            row.getString(2),
            row.getString(3),
            row.getString(4),
            strategy(row.getString(5)),
            row.getInt(8),
            row.getString(14),
            time(row, 15));
    RolloutStatus status =
        new RolloutStatus(
            RolloutState.valueOf(row.getString(6)),
            row.getInt(7),
            time(row, 9),
            time(row, 10),
            row.getString(11),
            pausedFor == null ? null : PausedFor.valueOf(pausedFor),
            time(row, 13),
            time(row, 16));
    return new RolloutRow(plan, status);
  }

  private static Instant time(ResultSet row, int index) throws SQLException {
    Timestamp at = row.getTimestamp(index);
    return at == null ? null : at.toInstant();
  }

  private static Strategy strategy(String json) {
    try {
      // rollouts made before strategies existed have none: every device at once
      return Strategy.from(JSON.readValue(json, RolloutStrategy.class));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String json(Object value) {
    try {
      return JSON.writeValueAsString(value);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
