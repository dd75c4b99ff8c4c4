package dev.ferry.hub.capture;

import dev.ferry.hub.db.Jdbc;
import dev.ferry.protocol.capture.CaptureSample;
import dev.ferry.protocol.json.JsonCodec;
import dev.ferry.protocol.oci.Digest;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.Date;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * The {@code capture_sample} table: one row per (device, sample id), kept (for dedup and the caps)
 * until its dataset expires; and {@code capture_sample_body}: the sample's JSON, until it is
 * packed.
 */
final class SampleRows {
  private static final JsonCodec CODEC = new JsonCodec();
  private static final String INSERT =
      "INSERT INTO capture_sample (device_id, sample_id, model, version, utc_day, captured_at,"
          + " received_at, bytes, policy_digest) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
          + " ON CONFLICT DO NOTHING";
  private static final String INSERT_BODY =
      "INSERT INTO capture_sample_body (device_id, sample_id, body) VALUES (?, ?, ?)";
  private static final String KNOWN =
      "SELECT sample_id FROM capture_sample WHERE device_id = ? AND sample_id IN ";
  private static final String WAITING_DAYS =
      "SELECT DISTINCT model, version, utc_day FROM capture_sample"
          + " WHERE dataset IS NULL AND utc_day < ? ORDER BY utc_day, model, version";
  private static final String OF_DAY =
      " WHERE s.model = ? AND s.version = ? AND s.utc_day = ? AND s.dataset IS NULL";
  private static final String ORDER = " ORDER BY s.captured_at, s.device_id, s.sample_id";
  private static final String FIRST_POLICY =
      "SELECT COALESCE(s.policy_digest, ''), p.rollout_id, p.policy FROM capture_sample s"
          + " LEFT JOIN capture_policy_record p ON p.digest = s.policy_digest"
          + OF_DAY
          + ORDER
          + " LIMIT 1";
  private static final String WAITING =
      "SELECT s.device_id, s.bytes, b.body FROM capture_sample s JOIN capture_sample_body b"
          + " ON b.device_id = s.device_id AND b.sample_id = s.sample_id"
          + OF_DAY
          + " AND COALESCE(s.policy_digest, '') = ?"
          + ORDER;
  private static final String PACKED =
      "UPDATE capture_sample SET dataset = ? WHERE device_id = ? AND sample_id = ?";
  private static final String PACKED_BODY =
      "DELETE FROM capture_sample_body WHERE device_id = ? AND sample_id = ?";
  private static final String DELETE = "DELETE FROM capture_sample WHERE model = ? AND dataset = ?";
  private static final String COUNT =
      "SELECT COUNT(*), COALESCE(SUM(bytes), 0) FROM capture_sample"
          + " WHERE device_id = ? AND model = ? AND captured_at >= ? AND captured_at < ?";

  private SampleRows() {}

  /**
   * Stores a sample unless the device sent it before; true when it was new.
   *
   * @param policy the digest of the {@link PolicyRecord} it was captured under, kept by {@link
   *     PolicyRecords}; null when not known
   */
  static boolean insert(
      Connection c, String deviceId, CaptureSample sample, Digest policy, Instant now)
      throws SQLException {
    if (Jdbc.update(c, INSERT, row(deviceId, sample, policy, now).toArray()) == 0) {
      return false;
    }
    Jdbc.update(c, INSERT_BODY, body(deviceId, sample).toArray());
    return true;
  }

  /**
   * Stores new samples, in two batches (rows, then bodies).
   *
   * @param samples samples the device has not sent before, each once: the caller holds the device's
   *     row lock, so no other upload of it stores one meanwhile
   * @param policies the digest of the {@link PolicyRecord} each was captured under, kept by {@link
   *     PolicyRecords}; null when not known
   */
  static void insertNew(
      Connection c,
      String deviceId,
      List<CaptureSample> samples,
      Function<CaptureSample, Digest> policies,
      Instant now)
      throws SQLException {
    List<List<Object>> rows = new ArrayList<>();
    List<List<Object>> bodies = new ArrayList<>();
    for (CaptureSample sample : samples) {
      rows.add(row(deviceId, sample, policies.apply(sample), now));
      bodies.add(body(deviceId, sample));
    }
    Jdbc.batch(c, INSERT, rows);
    Jdbc.batch(c, INSERT_BODY, bodies);
  }

  private static List<Object> row(
      String deviceId, CaptureSample sample, Digest policy, Instant now) {
    return Arrays.asList(
        deviceId,
        sample.id(),
        sample.model(),
        sample.version(),
        Date.valueOf(DatasetPacker.dayOf(sample.capturedAt())),
        sample.capturedAt(),
        now,
        sample.size(),
        policy == null ? null : policy.toString());
  }

  private static List<Object> body(String deviceId, CaptureSample sample) {
    return List.of(deviceId, sample.id(), new String(CODEC.encode(sample), StandardCharsets.UTF_8));
  }

  /** The ids among {@code ids} that the device sent before. */
  static Set<String> known(Connection c, String deviceId, Collection<String> ids)
      throws SQLException {
    String sql = KNOWN + Jdbc.in(ids.size());
    return new HashSet<>(Jdbc.query(c, sql, row -> row.getString(1), deviceId, ids));
  }

  /** The model versions and days before {@code today} with samples waiting to be packed. */
  static List<CaptureDay> waitingDays(Connection c, LocalDate today) throws SQLException {
    return Jdbc.query(c, WAITING_DAYS, CaptureDay::read, Date.valueOf(today));
  }

  /**
   * The oldest samples waiting for a model version and day that share the policy of the oldest: at
   * most {@code maxSamples}, and no more than {@code maxBytes} of tensors unless a single sample is
   * larger. Rows are read as they come, so a busy day is never loaded whole.
   */
  static SampleBatch waiting(Connection c, CaptureDay day, int maxSamples, long maxBytes)
      throws SQLException {
    List<Waiting> first =
        Jdbc.query(c, FIRST_POLICY, Waiting::read, day.model(), day.version(), date(day));
    if (first.isEmpty()) {
      return new SampleBatch(null, List.of());
    }
    try (PreparedStatement query = c.prepareStatement(WAITING)) {
      query.setFetchSize(64);
      query.setMaxRows(maxSamples);
      query.setString(1, day.model());
      query.setString(2, day.version());
      query.setDate(3, date(day));
      query.setString(4, first.get(0).digest());
      try (ResultSet rows = query.executeQuery()) {
        return new SampleBatch(first.get(0).policy(), read(rows, maxBytes));
      }
    }
  }

  private static Date date(CaptureDay day) {
    return Date.valueOf(day.day());
  }

  /** The policy digest of the oldest waiting sample ({@code ""} for none) and its record. */
  private record Waiting(String digest, PolicyRecord policy) {
    static Waiting read(ResultSet row) throws SQLException {
      String json = row.getString(3);
      return new Waiting(
          row.getString(1), json == null ? null : new PolicyRecord(row.getString(2), json));
    }
  }

  private static List<StoredSample> read(ResultSet rows, long maxBytes) throws SQLException {
    List<StoredSample> samples = new ArrayList<>();
    long bytes = 0;
    while (rows.next() && (samples.isEmpty() || bytes + rows.getLong(2) <= maxBytes)) {
      bytes += rows.getLong(2);
      byte[] body = rows.getString(3).getBytes(StandardCharsets.UTF_8);
      samples.add(new StoredSample(rows.getString(1), CODEC.decode(body, CaptureSample.class)));
    }
    return samples;
  }

  /** Drops the packed samples' content and names the dataset they went into. */
  static void packed(Connection c, List<StoredSample> samples, String dataset) throws SQLException {
    List<List<Object>> rows = new ArrayList<>();
    List<List<Object>> bodies = new ArrayList<>();
    for (StoredSample s : samples) {
      rows.add(List.of(dataset, s.deviceId(), s.sample().id()));
      bodies.add(List.of(s.deviceId(), s.sample().id()));
    }
    Jdbc.batch(c, PACKED, rows);
    Jdbc.batch(c, PACKED_BODY, bodies);
  }

  /** Deletes the rows of the samples packed into a dataset. */
  static int deleteDataset(Connection c, String model, String dataset) throws SQLException {
    return Jdbc.update(c, DELETE, model, dataset);
  }

  /** How many samples, and bytes, a device sent of a model captured in {@code [from, to)}. */
  static CaptureUsage.Used used(
      Connection c, String deviceId, String model, Instant from, Instant to) throws SQLException {
    return Jdbc.query(
            c,
            COUNT,
            row -> new CaptureUsage.Used(row.getLong(1), row.getLong(2)),
            deviceId,
            model,
            from,
            to)
        .get(0);
  }
}
