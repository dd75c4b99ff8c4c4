package dev.ferry.hub.rollout;

import dev.ferry.hub.db.Jdbc;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The {@code assignment} table: which release of each model every device is to run, which its
 * desired state lists. All in the caller's transaction.
 */
final class AssignmentStore {
  private static final String OF =
      "SELECT device_id, version, rollout_id FROM assignment WHERE model = ?";
  private static final String VERSIONS =
      "SELECT DISTINCT version FROM assignment WHERE model = ? ORDER BY version";
  private static final String INSERT =
      "INSERT INTO assignment (version, rollout_id, device_id, model) VALUES (?, ?, ?, ?)"
          + " ON CONFLICT DO NOTHING";
  private static final String UPSERT_ARRAY =
      "INSERT INTO assignment (version, rollout_id, device_id, model)"
          + " SELECT ?, ?, d, ? FROM unnest(?::varchar[]) AS u (d) ON CONFLICT (device_id, model)"
          + " DO UPDATE SET version = EXCLUDED.version, rollout_id = EXCLUDED.rollout_id";
  private static final String UPDATE =
      "UPDATE assignment SET version = ?, rollout_id = ? WHERE device_id = ? AND model = ?";
  private static final String REMOVE = "DELETE FROM assignment WHERE device_id = ? AND model = ?";

  private AssignmentStore() {}

  private record Row(String device, Assignment assignment) {
    static Row read(ResultSet row) throws SQLException {
      return new Row(row.getString(1), new Assignment(row.getString(2), row.getString(3)));
    }
  }

  /** The assignments of a model that some devices have, by device. */
  static Map<String, Assignment> of(Connection c, String model, Collection<String> devices)
      throws SQLException {
    Map<String, Assignment> current = new HashMap<>();
    String sql = OF + " AND device_id IN " + Jdbc.in(devices.size());
    for (Row row : Jdbc.query(c, sql, Row::read, model, devices)) {
      current.put(row.device(), row.assignment());
    }
    return current;
  }

  /** The versions of a model that some device is assigned. */
  static List<String> versions(Connection c, String model) throws SQLException {
    return Jdbc.query(c, VERSIONS, row -> row.getString(1), model);
  }

  /**
   * How many of some devices are assigned each of some versions of a model. Those versions'
   * assignments are read and counted here: a selection may hold more devices than a statement may
   * list.
   *
   * @return the counts by version; a version none of the devices is assigned left out
   */
  static Map<String, Integer> count(
      Connection c, String model, Collection<String> versions, Collection<String> devices)
      throws SQLException {
    Set<String> wanted = devices instanceof Set<String> set ? set : new HashSet<>(devices);
    Map<String, Integer> counts = new TreeMap<>();
    String sql = OF + " AND version IN " + Jdbc.in(versions.size());
    for (Row row : Jdbc.query(c, sql, Row::read, model, versions)) {
      if (wanted.contains(row.device())) {
        counts.merge(row.assignment().version(), 1, Integer::sum);
      }
    }
    return counts;
  }

  /** Assigns a model's version to devices, in place of what they had. */
  static void set(Connection c, List<String> devices, String model, Assignment assignment)
      throws SQLException {
    if (Jdbc.isPostgres(c)) {
      String[] ids = devices.toArray(String[]::new);
      Jdbc.update(c, UPSERT_ARRAY, assignment.version(), assignment.rolloutId(), model, ids);
      return;
    }
    List<List<Object>> rows = new ArrayList<>();
    for (String device : devices) {
      rows.add(Arrays.asList(assignment.version(), assignment.rolloutId(), device, model));
    }
    Jdbc.batch(c, INSERT, rows);
    Jdbc.batch(c, UPDATE, rows);
  }

  /** Removes a device's assignment of a model. */
  static void remove(Connection c, String device, String model) throws SQLException {
    Jdbc.update(c, REMOVE, device, model);
  }
}
