package dev.ferry.hub.rollout;

import static dev.ferry.hub.db.Jdbc.setTime;
import static dev.ferry.hub.db.Jdbc.time;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.ferry.hub.db.Jdbc;
import dev.ferry.protocol.api.InterfaceChange;
import dev.ferry.protocol.api.RolloutStrategy;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The {@code rollout} table: one row per rollout, its plan and its status, and when the engine
 * looks at it next. All in the caller's transaction; {@link RolloutDeviceStore} has the devices.
 */
final class RolloutStore {
  private static final ObjectMapper JSON =
      JsonMapper.builder().addModule(new JavaTimeModule()).build();
  private static final String COLUMNS =
      "id, model, version, selector, strategy, created_by, created_at, waves,"
          + " state, wave, wave_started_at, wave_settled_at, reason, paused_for, enrolled_at,"
          + " updated_at";
  private static final String SELECT =
      "SELECT " + COLUMNS + ", interface_changes FROM rollout WHERE ";
  private static final String LIVE = "state IN " + Jdbc.in(RolloutState.LIVE.size());

  private RolloutStore() {}

  /** Adds a rollout; the engine steps it at {@code nextStep}. */
  static void insert(Connection c, RolloutRow r, Instant nextStep) throws SQLException {
    try (PreparedStatement insert =
        c.prepareStatement(
            "INSERT INTO rollout ("
                + COLUMNS
                + ", devices, next_step_at, gated, prefetch, interface_changes) VALUES (?, ?, ?,"
                + " ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, '[]', ?, ?, ?, ?)")) {
      RolloutPlan p = r.plan();
      insert.setString(1, p.id());
      insert.setString(2, p.model());
      insert.setString(3, p.version());
      insert.setString(4, p.selector());
      insert.setString(5, json(p.strategy().toWire()));
      insert.setString(6, p.createdBy());
      setTime(insert, 7, p.createdAt());
      insert.setInt(8, p.waves());
      int next = bindStatus(insert, 9, r.status());
      setTime(insert, next, nextStep);
      insert.setBoolean(next + 1, p.strategy().metricGates() != null);
      insert.setBoolean(next + 2, p.strategy().prefetch());
      insert.setString(
          next + 3, p.interfaceChanges().isEmpty() ? null : json(p.interfaceChanges()));
      insert.executeUpdate();
    }
  }

  /** Writes the status of a rollout and when the engine looks at it next. */
  static void update(Connection c, RolloutRow r, Instant nextStep) throws SQLException {
    try (PreparedStatement update =
        c.prepareStatement(
            "UPDATE rollout SET state = ?, wave = ?, wave_started_at = ?, wave_settled_at = ?,"
                + " reason = ?, paused_for = ?, enrolled_at = ?, updated_at = ?, next_step_at = ?"
                + " WHERE id = ?")) {
      int next = bindStatus(update, 1, r.status());
      setTime(update, next, nextStep);
      update.setString(next + 1, r.id());
      update.executeUpdate();
    }
  }

  /**
   * Moves a rollout's next step later, never earlier, and never gives one to a rollout that waits
   * for nothing (its next step is null).
   */
  static void deferStep(Connection c, String id, Instant until) throws SQLException {
    Jdbc.update(
        c,
        "UPDATE rollout SET next_step_at = ? WHERE id = ? AND next_step_at < ?",
        until,
        id,
        until);
  }

  /** Brings a rollout's next step forward to {@code at} if it is due later. */
  static void stepDue(Connection c, String id, Instant at) throws SQLException {
    Jdbc.update(
        c, "UPDATE rollout SET next_step_at = ? WHERE id = ? AND next_step_at > ?", at, id, at);
  }

  static Optional<RolloutRow> find(Connection c, String id) throws SQLException {
    return first(Jdbc.query(c, SELECT + "id = ?", RolloutStore::read, id));
  }

  /** Locks a rollout's row; an API action and the engine never change one rollout at once. */
  static Optional<RolloutRow> lock(Connection c, String id) throws SQLException {
    return first(Jdbc.query(c, SELECT + "id = ? FOR UPDATE", RolloutStore::read, id));
  }

  /**
   * Claims the live rollout most overdue for a step that no other replica holds.
   *
   * @param c the transaction, which holds the row lock until it ends
   * @param now the current time
   * @return the claimed rollout, if any is due
   */
  static Optional<RolloutRow> claimDue(Connection c, Instant now) throws SQLException {
    String sql =
        SELECT
            + LIVE
            + " AND next_step_at <= ? ORDER BY next_step_at LIMIT 1 FOR UPDATE SKIP LOCKED";
    return first(Jdbc.query(c, sql, RolloutStore::read, RolloutState.LIVE, now));
  }

  /** Rollouts, newest first, of a model and in a state when given. */
  static List<RolloutRow> list(Connection c, String model, RolloutState state, int limit)
      throws SQLException {
    StringBuilder sql = new StringBuilder(SELECT + "1 = 1");
    List<Object> args = new ArrayList<>();
    if (model != null) {
      sql.append(" AND model = ?");
      args.add(model);
    }
    if (state != null) {
      sql.append(" AND state = ?");
      args.add(state);
    }
    sql.append(" ORDER BY created_at DESC, id LIMIT ").append(limit);
    return Jdbc.query(c, sql.toString(), RolloutStore::read, args);
  }

  /** The live rollouts of a release, oldest first, locked. */
  static List<RolloutRow> lockLive(Connection c, String model, String version) throws SQLException {
    String sql =
        SELECT + "model = ? AND version = ? AND " + LIVE + " ORDER BY created_at, id FOR UPDATE";
    return Jdbc.query(c, sql, RolloutStore::read, model, version, RolloutState.LIVE);
  }

  /** The live rollouts of a model made after a time, newest first. */
  static List<RolloutRow> newerLive(Connection c, String model, Instant after) throws SQLException {
    String sql = SELECT + "model = ? AND created_at > ? AND " + LIVE + " ORDER BY created_at DESC";
    return Jdbc.query(c, sql, RolloutStore::read, model, after, RolloutState.LIVE);
  }

  private static int bindStatus(PreparedStatement statement, int from, RolloutStatus s)
      throws SQLException {
    statement.setString(from, s.state().name());
    statement.setInt(from + 1, s.wave());
    setTime(statement, from + 2, s.waveStartedAt());
    setTime(statement, from + 3, s.waveSettledAt());
    statement.setString(from + 4, s.reason());
    statement.setString(from + 5, s.pausedFor() == null ? null : s.pausedFor().name());
    setTime(statement, from + 6, s.enrolledAt());
    setTime(statement, from + 7, s.updatedAt());
    return from + 8;
  }

  private static Optional<RolloutRow> first(List<RolloutRow> rows) {
    return rows.stream().findFirst();
  }

  private static RolloutRow read(ResultSet row) throws SQLException {
    return new RolloutRow(plan(row), status(row));
  }

  private static RolloutPlan plan(ResultSet row) throws SQLException {
    return new RolloutPlan(
        row.getString(1),
        row.getString(2),
        row.getString(3),
        row.getString(4),
        strategy(row.getString(5)),
        row.getInt(8),
        row.getString(6),
        time(row, 7),
        interfaceChanges(row.getString(17)));
  }

  private static List<InterfaceChange> interfaceChanges(String json) {
    if (json == null) {
      return List.of(); // none, or a rollout made before they were looked for
    }
    try {
      return List.of(JSON.readValue(json, InterfaceChange[].class));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static RolloutStatus status(ResultSet row) throws SQLException {
    String pausedFor = row.getString(14);
    return new RolloutStatus(
        RolloutState.valueOf(row.getString(9)),
        row.getInt(10),
        time(row, 11),
        time(row, 12),
        row.getString(13),
        pausedFor == null ? null : PausedFor.valueOf(pausedFor),
        time(row, 15),
        time(row, 16));
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
