package dev.ferry.hub.rollout;

import dev.ferry.hub.db.Jdbc;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code assignment} table: which release of each model every device is to run, which its
 * desired state lists. All in the caller's transaction.
 */
final class AssignmentStore {
  private AssignmentStore() {}

  /** Every device's assignment of a model, by device. */
  static Map<String, Assignment> of(Connection c, String model) throws SQLException {
    Map<String, Assignment> current = new HashMap<>();
    for (String[] row :
        Jdbc.query(
            c,
            "SELECT device_id, version, rollout_id FROM assignment WHERE model = ?",
            r -> new String[] {r.getString(1), r.getString(2), r.getString(3)},
            model)) {
      current.put(row[0], new Assignment(row[1], row[2]));
    }
    return current;
  }

  /** Assigns a model's version to devices, in place of what they had. */
  static void set(Connection c, List<String> devices, String model, Assignment assignment)
      throws SQLException {
    List<List<Object>> rows = new ArrayList<>();
    for (String device : devices) {
      rows.add(
          java.util.Arrays.asList(assignment.version(), assignment.rolloutId(), device, model));
    }
    Jdbc.batch(
        c,
        "INSERT INTO assignment (version, rollout_id, device_id, model) VALUES (?, ?, ?, ?)"
            + " ON CONFLICT DO NOTHING",
        rows);
    Jdbc.batch(
        c,
        "UPDATE assignment SET version = ?, rollout_id = ? WHERE device_id = ? AND model = ?",
        rows);
  }

  /** Removes a device's assignment of a model. */
  static void remove(Connection c, String device, String model) throws SQLException {
    Jdbc.update(c, "DELETE FROM assignment WHERE device_id = ? AND model = ?", device, model);
  }
}
