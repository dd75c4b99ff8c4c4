package dev.ferry.hub.capture;

import dev.ferry.hub.db.Jdbc;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** The {@code capture_dataset} table: the datasets pushed, what they hold and when. */
final class DatasetRows {
  private static final String COLUMNS =
      "name, reference, digest, samples, devices, from_at, to_at, created_at";
  private static final String INSERT =
      "INSERT INTO capture_dataset (model, version, "
          + COLUMNS
          + ", policy_digest)"
          + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
  private static final String LIST =
      "SELECT d.name, d.reference, d.digest, d.samples, d.devices, d.from_at, d.to_at,"
          + " d.created_at, p.rollout_id, p.policy FROM capture_dataset d"
          + " LEFT JOIN capture_policy_record p ON p.digest = d.policy_digest"
          + " WHERE d.model = ? AND d.version = ? ORDER BY d.created_at, d.name";
  private static final String PARTS =
      "SELECT name FROM capture_dataset WHERE model = ? AND (name = ? OR name LIKE ?)";
  private static final String EXPIRED =
      "SELECT "
          + COLUMNS
          + " FROM capture_dataset WHERE model = ? AND created_at <= ?"
          + " ORDER BY created_at, name LIMIT 1 FOR UPDATE SKIP LOCKED";
  private static final String DELETE = "DELETE FROM capture_dataset WHERE model = ? AND name = ?";
  private static final String MODELS = "SELECT DISTINCT model FROM capture_dataset ORDER BY model";

  private DatasetRows() {}

  static void insert(Connection c, CaptureDay day, DatasetSummary d) throws SQLException {
    Jdbc.update(
        c,
        INSERT,
        day.model(),
        day.version(),
        d.name(),
        d.reference(),
        d.digest(),
        d.samples(),
        String.join(",", d.devices()),
        d.from(),
        d.to(),
        d.createdAt(),
        d.capturedUnder() == null ? null : d.capturedUnder().digest());
  }

  static List<DatasetSummary> list(Connection c, String model, String version) throws SQLException {
    return Jdbc.query(c, LIST, DatasetRows::listed, model, version);
  }

  /**
   * The highest part a day's datasets have now (its first part is named without a number), 0 for
   * none: numbering goes on from there, even after retention deleted earlier parts.
   */
  static int lastPart(Connection c, CaptureDay day) throws SQLException {
    String first = DatasetPacker.name(day.version(), day.day(), 1);
    return Jdbc.query(
            c, PARTS, row -> part(first, row.getString(1)), day.model(), first, first + "-%")
        .stream()
        .mapToInt(Integer::intValue)
        .max()
        .orElse(0);
  }

  private static int part(String first, String name) {
    String suffix = name.substring(first.length());
    return suffix.matches("-[0-9]{1,9}") ? Integer.parseInt(suffix.substring(1)) : 1;
  }

  /** A model's oldest dataset created at or before a time, locked so one replica deletes it. */
  static Optional<DatasetSummary> expired(Connection c, String model, Instant cutoff)
      throws SQLException {
    return Jdbc.query(c, EXPIRED, DatasetRows::read, model, cutoff).stream().findFirst();
  }

  static void delete(Connection c, String model, String name) throws SQLException {
    Jdbc.update(c, DELETE, model, name);
  }

  static List<String> models(Connection c) throws SQLException {
    return Jdbc.query(c, MODELS, row -> row.getString(1));
  }

  /** A row of {@link #LIST}: the columns, then the rollout and JSON of the policy, if known. */
  private static DatasetSummary listed(ResultSet row) throws SQLException {
    String json = row.getString(10);
    return read(row)
        .withPolicy(
            DatasetPolicy.of(json == null ? null : new PolicyRecord(row.getString(9), json)));
  }

  private static DatasetSummary read(ResultSet row) throws SQLException {
    String devices = row.getString(5);
    return new DatasetSummary(
        row.getString(1),
        row.getString(2),
        row.getString(3),
        row.getInt(4),
        devices.isEmpty() ? List.of() : Arrays.asList(devices.split(",")),
        Jdbc.time(row, 6),
        Jdbc.time(row, 7),
        Jdbc.time(row, 8),
        null);
  }
}
