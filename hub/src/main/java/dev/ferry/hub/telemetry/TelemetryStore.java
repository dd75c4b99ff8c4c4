package dev.ferry.hub.telemetry;

import dev.ferry.hub.db.Database;
import dev.ferry.protocol.api.VersionMetrics;
import dev.ferry.protocol.device.LatencyHistogram;
import dev.ferry.protocol.device.ModelTelemetry;
import dev.ferry.protocol.device.TelemetryBatch;
import dev.ferry.protocol.json.Fields;
import dev.ferry.protocol.json.JsonCodec;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Telemetry in the database: batches counted once per (device, seq), per-minute aggregates per
 * model version, the latest telemetry per device. On PostgreSQL the per-batch rows go in as arrays,
 * one statement each; the embedded database takes them one by one.
 */
@ApplicationScoped
public class TelemetryStore {
  private final JsonCodec codec = new JsonCodec();

  @Inject Database db;
  @Inject RolloutMetrics rollouts;

  private record Key(String model, String version, Instant bucket) {}

  /**
   * Counts the batches not counted before, in the caller's transaction.
   *
   * @param c the connection
   * @param batches the batches, in arrival order
   * @param now the time of receipt
   * @return how many were new (the rest were repeats)
   */
  public int count(Connection c, List<TelemetryBatch> batches, Instant now) throws SQLException {
    List<TelemetryBatch> fresh =
        db.isPostgres() ? firstSeenPostgres(c, batches, now) : firstSeen(c, batches, now);
    Map<Key, Aggregate> sums = new LinkedHashMap<>();
    Map<String, TelemetryBatch> latest = new HashMap<>();
    for (TelemetryBatch batch : fresh) {
      Instant bucket = batch.to().truncatedTo(ChronoUnit.MINUTES);
      for (ModelTelemetry model : batch.models()) {
        sums.computeIfAbsent(new Key(model.name(), model.version(), bucket), k -> new Aggregate())
            .add(model);
      }
      latest.merge(batch.deviceId(), batch, (a, b) -> a.seq() >= b.seq() ? a : b);
    }
    for (var entry : sums.entrySet()) {
      add(c, entry.getKey(), entry.getValue());
    }
    devices(c, latest.values(), now);
    rollouts.record(c, fresh);
    return fresh.size();
  }

  private static void add(Connection c, Key key, Aggregate sum) throws SQLException {
    AggregateRows.add(
        c,
        "model_metrics",
        List.of("model", "version", "bucket_start"),
        List.of(key.model(), key.version(), Timestamp.from(key.bucket())),
        sum);
    for (var error : sum.errorsByReason.entrySet()) {
      try (PreparedStatement create =
          c.prepareStatement(
              "INSERT INTO model_metric_errors (model, version, bucket_start, reason, count)"
                  + " VALUES (?, ?, ?, ?, 0) ON CONFLICT DO NOTHING")) {
        bind(create, key);
        create.setString(4, error.getKey());
        create.executeUpdate();
      }
      try (PreparedStatement update =
          c.prepareStatement(
              "UPDATE model_metric_errors SET count = LEAST(count + ?, "
                  + Fields.MAX_COUNT
                  + ") WHERE model = ? AND version = ? AND bucket_start = ? AND reason = ?")) {
        update.setLong(1, error.getValue());
        update.setString(2, key.model());
        update.setString(3, key.version());
        update.setTimestamp(4, Timestamp.from(key.bucket()));
        update.setString(5, error.getKey());
        update.executeUpdate();
      }
    }
  }

  /** Records (device, seq) of each batch; the ones not recorded before are new. */
  private static List<TelemetryBatch> firstSeen(
      Connection c, List<TelemetryBatch> batches, Instant now) throws SQLException {
    List<TelemetryBatch> fresh = new ArrayList<>();
    try (PreparedStatement seen =
        c.prepareStatement(
            "INSERT INTO telemetry_seen (device_id, seq, received_at) VALUES (?, ?, ?)"
                + " ON CONFLICT DO NOTHING")) {
      Timestamp at = Timestamp.from(now);
      for (TelemetryBatch batch : batches) {
        seen.setString(1, batch.deviceId());
        seen.setLong(2, batch.seq());
        seen.setTimestamp(3, at);
        seen.addBatch();
      }
      // one round trip for the whole batch; the update counts say which were new
      int[] inserted = batches.isEmpty() ? new int[0] : seen.executeBatch();
      for (int i = 0; i < inserted.length; i++) {
        if (inserted[i] == 1) {
          fresh.add(batches.get(i));
        }
      }
    }
    return fresh;
  }

  /**
   * The same in one statement on PostgreSQL: the rows go in as arrays, and the inserted ones come
   * back (a thousand single-row inserts cost the server several times more).
   */
  private static List<TelemetryBatch> firstSeenPostgres(
      Connection c, List<TelemetryBatch> batches, Instant now) throws SQLException {
    if (batches.isEmpty()) {
      return List.of();
    }
    Set<String> inserted = new HashSet<>();
    try (PreparedStatement seen =
        c.prepareStatement(
            "INSERT INTO telemetry_seen (device_id, seq, received_at)"
                + " SELECT d, s, ? FROM unnest(?::varchar[], ?::bigint[]) AS u (d, s)"
                + " ON CONFLICT DO NOTHING RETURNING device_id, seq")) {
      seen.setTimestamp(1, Timestamp.from(now));
      seen.setArray(
          2,
          c.createArrayOf(
              "varchar", batches.stream().map(TelemetryBatch::deviceId).toArray(String[]::new)));
      seen.setArray(
          3, c.createArrayOf("bigint", batches.stream().map(TelemetryBatch::seq).toArray()));
      try (ResultSet rows = seen.executeQuery()) {
        while (rows.next()) {
          inserted.add(seenKey(rows.getString(1), rows.getLong(2)));
        }
      }
    }
    List<TelemetryBatch> fresh = new ArrayList<>(inserted.size());
    for (TelemetryBatch batch : batches) {
      // a batch delivered twice within one transaction is new only the first time
      if (inserted.remove(seenKey(batch.deviceId(), batch.seq()))) {
        fresh.add(batch);
      }
    }
    return fresh;
  }

  private static String seenKey(String deviceId, long seq) {
    return deviceId + '\n' + seq;
  }

  private void devices(Connection c, Collection<TelemetryBatch> latest, Instant now)
      throws SQLException {
    if (latest.isEmpty()) {
      return;
    }
    if (db.isPostgres()) {
      devicesPostgres(c, latest, now);
      return;
    }
    Timestamp at = Timestamp.from(now);
    try (PreparedStatement create =
        c.prepareStatement(
            "INSERT INTO device_telemetry (device_id, last_seq, received_at, dropped_batches)"
                + " VALUES (?, 0, ?, 0) ON CONFLICT DO NOTHING")) {
      for (TelemetryBatch batch : latest) {
        create.setString(1, batch.deviceId());
        create.setTimestamp(2, at);
        create.addBatch();
      }
      create.executeBatch();
    }
    try (PreparedStatement update =
        c.prepareStatement(
            "UPDATE device_telemetry SET last_seq = ?, received_at = ?, dropped_batches = ?,"
                + " metrics = ? WHERE device_id = ? AND last_seq < ?")) {
      for (TelemetryBatch batch : latest) {
        update.setLong(1, batch.seq());
        update.setTimestamp(2, at);
        update.setLong(3, batch.droppedBatches());
        update.setString(4, deviceMetrics(batch));
        update.setString(5, batch.deviceId());
        update.setLong(6, batch.seq());
        update.addBatch();
      }
      update.executeBatch();
    }
  }

  /** The latest telemetry of many devices in one upsert on PostgreSQL. */
  private void devicesPostgres(Connection c, Collection<TelemetryBatch> latest, Instant now)
      throws SQLException {
    try (PreparedStatement upsert =
        c.prepareStatement(
            "INSERT INTO device_telemetry"
                + " (device_id, last_seq, received_at, dropped_batches, metrics)"
                + " SELECT d, s, ?, x, m"
                + " FROM unnest(?::varchar[], ?::bigint[], ?::bigint[], ?::text[]) AS u (d, s, x, m)"
                + " ON CONFLICT (device_id) DO UPDATE SET last_seq = EXCLUDED.last_seq,"
                + " received_at = EXCLUDED.received_at,"
                + " dropped_batches = EXCLUDED.dropped_batches, metrics = EXCLUDED.metrics"
                + " WHERE device_telemetry.last_seq < EXCLUDED.last_seq")) {
      upsert.setTimestamp(1, Timestamp.from(now));
      upsert.setArray(
          2,
          c.createArrayOf(
              "varchar", latest.stream().map(TelemetryBatch::deviceId).toArray(String[]::new)));
      upsert.setArray(
          3, c.createArrayOf("bigint", latest.stream().map(TelemetryBatch::seq).toArray()));
      upsert.setArray(
          4,
          c.createArrayOf("bigint", latest.stream().map(TelemetryBatch::droppedBatches).toArray()));
      upsert.setArray(
          5, c.createArrayOf("text", latest.stream().map(this::deviceMetrics).toArray()));
      upsert.executeUpdate();
    }
  }

  private String deviceMetrics(TelemetryBatch batch) {
    return batch.device() == null
        ? null
        : new String(codec.encode(batch.device()), StandardCharsets.UTF_8);
  }

  /**
   * The fleet's counts of a model version over a time range, minute by minute.
   *
   * @param c the connection
   * @param model the model
   * @param version the version
   * @param from the first minute (inclusive)
   * @param to the end (exclusive)
   * @return the metrics
   */
  public VersionMetrics metrics(
      Connection c, String model, String version, Instant from, Instant to) throws SQLException {
    List<VersionMetrics.Bucket> buckets = new ArrayList<>();
    LatencyHistogram latency = LatencyHistogram.empty();
    long requests = 0;
    long errors = 0;
    try (PreparedStatement query =
        c.prepareStatement(
            "SELECT bucket_start, requests, errors, latency FROM model_metrics"
                + " WHERE model = ? AND version = ? AND bucket_start >= ? AND bucket_start < ?"
                + " ORDER BY bucket_start")) {
      bindRange(query, model, version, from, to);
      try (ResultSet rows = query.executeQuery()) {
        while (rows.next()) {
          LatencyHistogram bucketLatency = AggregateRows.decode(rows.getString(4));
          buckets.add(
              new VersionMetrics.Bucket(
                  rows.getTimestamp(1).toInstant(),
                  rows.getLong(2),
                  rows.getLong(3),
                  bucketLatency.quantileMillis(0.99)));
          requests += rows.getLong(2);
          errors += rows.getLong(3);
          latency = latency.plus(bucketLatency);
        }
      }
    }
    Map<String, Long> byReason = new java.util.TreeMap<>();
    try (PreparedStatement query =
        c.prepareStatement(
            "SELECT reason, SUM(count) FROM model_metric_errors"
                + " WHERE model = ? AND version = ? AND bucket_start >= ? AND bucket_start < ?"
                + " GROUP BY reason")) {
      bindRange(query, model, version, from, to);
      try (ResultSet rows = query.executeQuery()) {
        while (rows.next()) {
          byReason.put(rows.getString(1), rows.getLong(2));
        }
      }
    }
    return VersionMetrics.of(
        model, version, from, to, requests, errors, byReason, latency, buckets);
  }

  /**
   * Deletes aggregates and dedup records older than a cut-off.
   *
   * @param c the connection
   * @param before the cut-off
   * @return rows deleted
   */
  public int purge(Connection c, Instant before) throws SQLException {
    int deleted = 0;
    for (String sql :
        List.of(
            "DELETE FROM model_metrics WHERE bucket_start < ?",
            "DELETE FROM model_metric_errors WHERE bucket_start < ?",
            "DELETE FROM telemetry_seen WHERE received_at < ?")) {
      try (PreparedStatement delete = c.prepareStatement(sql)) {
        delete.setTimestamp(1, Timestamp.from(before));
        deleted += delete.executeUpdate();
      }
    }
    return deleted;
  }

  private static void bind(PreparedStatement statement, Key key) throws SQLException {
    statement.setString(1, key.model());
    statement.setString(2, key.version());
    statement.setTimestamp(3, Timestamp.from(key.bucket()));
  }

  private static void bindRange(
      PreparedStatement statement, String model, String version, Instant from, Instant to)
      throws SQLException {
    statement.setString(1, model);
    statement.setString(2, version);
    statement.setTimestamp(3, Timestamp.from(from));
    statement.setTimestamp(4, Timestamp.from(to));
  }
}
