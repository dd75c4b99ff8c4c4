package dev.ferry.hub.telemetry;

import dev.ferry.protocol.device.LatencyHistogram;
import dev.ferry.protocol.json.Fields;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.List;

/**
 * Adds an {@link Aggregate} to a row of request, error and latency counts ({@code model_metrics},
 * {@code rollout_variant_metrics}) under the row's lock, creating the row first; counts saturate at
 * {@link Fields#MAX_COUNT}.
 */
final class AggregateRows {
  private AggregateRows() {}

  /**
   * @param c the transaction
   * @param table the table (a constant)
   * @param keyColumns its key columns (constants)
   * @param key the key's values
   * @param sum what to add
   */
  static void add(
      Connection c, String table, List<String> keyColumns, List<Object> key, Aggregate sum)
      throws SQLException {
    String where = String.join(" AND ", keyColumns.stream().map(k -> k + " = ?").toList());
    try (PreparedStatement create =
        c.prepareStatement(
            "INSERT INTO "
                + table
                + " ("
                + String.join(", ", keyColumns)
                + ", requests, errors, latency) VALUES ("
                + "?, ".repeat(keyColumns.size())
                + "0, 0, ?) ON CONFLICT DO NOTHING")) {
      bind(create, 1, key);
      create.setString(key.size() + 1, encode(LatencyHistogram.empty()));
      create.executeUpdate();
    }
    LatencyHistogram stored;
    try (PreparedStatement lock =
        c.prepareStatement("SELECT latency FROM " + table + " WHERE " + where + " FOR UPDATE")) {
      bind(lock, 1, key);
      try (ResultSet row = lock.executeQuery()) {
        row.next();
        stored = decode(row.getString(1));
      }
    }
    try (PreparedStatement update =
        c.prepareStatement(
            "UPDATE "
                + table
                + " SET requests = LEAST(requests + ?, "
                + Fields.MAX_COUNT
                + "), errors = LEAST(errors + ?, "
                + Fields.MAX_COUNT
                + "), latency = ? WHERE "
                + where)) {
      update.setLong(1, sum.requests);
      update.setLong(2, sum.errors);
      update.setString(3, encode(stored.plus(sum.latency)));
      bind(update, 4, key);
      update.executeUpdate();
    }
  }

  private static void bind(PreparedStatement statement, int first, List<Object> key)
      throws SQLException {
    for (int i = 0; i < key.size(); i++) {
      statement.setObject(first + i, key.get(i));
    }
  }

  static String encode(LatencyHistogram histogram) {
    return String.join(",", histogram.counts().stream().map(String::valueOf).toList());
  }

  static LatencyHistogram decode(String counts) {
    return new LatencyHistogram(
        LatencyHistogram.STANDARD_BOUNDS_MILLIS,
        Arrays.stream(counts.split(",")).map(Long::valueOf).toList());
  }
}
