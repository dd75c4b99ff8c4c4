package dev.ferry.hub.fleet;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ferry.hub.db.Database;
import dev.ferry.hub.db.Jdbc;
import dev.ferry.hub.identity.DeviceRevoked;
import dev.ferry.hub.identity.IdentityState;
import dev.ferry.protocol.api.DeviceEnrollment;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The devices the hub knows, in its database. */
@ApplicationScoped
public class Devices {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final TypeReference<Map<String, String>> LABELS = new TypeReference<>() {};

  /**
   * Whether a device's message is news of it, which moves its {@code last_seen}: a report other
   * than the stored one (each carries its time), a presence that says it is online (it is connected
   * now), one that says it went offline, or its first message. A message the broker kept and sends
   * again, as it does to a hub that subscribes at its start, is none of these: a device gone for
   * weeks would otherwise look seen at every start of the hub. (A broker may say so in the
   * message's retain flag; the embedded one does not.) {@code u.r} is the report, {@code u.o} the
   * presence, either null.
   */
  private static final String NEWS =
      "(u.r IS NOT NULL AND u.r IS DISTINCT FROM reported) OR u.o IS TRUE"
          + " OR (u.o IS FALSE AND online) OR last_seen IS NULL";

  private static final String SELECT =
      "SELECT d.id, d.labels, d.online, d.last_seen, d.reported, d.hub_labels, t.last_seq,"
          + " t.received_at, t.dropped_batches, t.metrics, i.state, i.token_id, i.enrolled_at,"
          + " i.accepted_at, i.cert_serial, i.cert_not_after, i.revoked_at"
          + " FROM device d LEFT JOIN device_telemetry t ON t.device_id = d.id"
          + " LEFT JOIN device_identity i ON i.device_id = d.id";

  @Inject Database db;

  /**
   * Sets the labels the hub gives a device; they override the ones it reports.
   *
   * @param id the device
   * @param labels the labels, replacing the hub's earlier ones
   * @return the device, or empty when it is unknown
   */
  public Optional<Device> setHubLabels(String id, Map<String, String> labels) {
    int updated =
        db.transaction(
            c -> {
              try (PreparedStatement update =
                  c.prepareStatement("UPDATE device SET hub_labels = ? WHERE id = ?")) {
                update.setString(1, json(labels));
                update.setString(2, id);
                return update.executeUpdate();
              }
            });
    return updated == 0 ? Optional.empty() : find(id);
  }

  /**
   * A revoked device is offline from then on: the broker shuts it out, and its own last word, the
   * offline presence of its MQTT will, is not taken from a device no longer accepted (the embedded
   * broker does not even send the will of a session it cuts).
   */
  void revoked(@Observes DeviceRevoked event) {
    db.transaction(
        c -> Jdbc.update(c, "UPDATE device SET online = FALSE WHERE id = ?", event.deviceId()));
  }

  /**
   * Records what a device reported (or that it was named in a rollout before it connected).
   *
   * @param c the transaction
   * @param id the device id
   * @param labels its labels, or null to keep the known ones
   * @param online whether it is connected, or null to keep the known value
   * @param reported its reported state JSON, or null to keep the known one
   * @param seen when it was heard from, or null when it was not
   */
  public void upsert(
      Connection c,
      String id,
      Map<String, String> labels,
      Boolean online,
      String reported,
      Instant seen)
      throws SQLException {
    upsert(c, id, labels, online, reported, reported == null ? 0 : 1, seen);
  }

  private void upsert(
      Connection c,
      String id,
      Map<String, String> labels,
      Boolean online,
      String reported,
      int reports,
      Instant seen)
      throws SQLException {
    // create the row first (a no-op when it exists; waits for a concurrent creator), then update
    try (PreparedStatement insert =
        c.prepareStatement(
            "INSERT INTO device (id, labels, online) VALUES (?, '{}', FALSE) ON CONFLICT DO NOTHING")) {
      insert.setString(1, id);
      insert.executeUpdate();
    }
    try (PreparedStatement update =
        c.prepareStatement(
            "UPDATE device SET labels = COALESCE(?, labels), online = COALESCE(?, online),"
                + " reported = COALESCE(?, reported), reported_rev = reported_rev + ?,"
                + " last_seen = CASE WHEN "
                + NEWS.replace("u.r", "CAST(? AS TEXT)").replace("u.o", "CAST(? AS BOOLEAN)")
                + " THEN COALESCE(?, last_seen) ELSE last_seen END WHERE id = ?")) {
      update.setString(1, labels == null ? null : json(labels));
      update.setObject(2, online);
      update.setString(3, reported);
      update.setInt(4, reports);
      update.setString(5, reported);
      update.setString(6, reported);
      update.setObject(7, online);
      update.setObject(8, online);
      update.setTimestamp(9, seen == null ? null : Timestamp.from(seen));
      update.setString(10, id);
      update.executeUpdate();
    }
  }

  /**
   * Records what many devices sent, in one transaction: on PostgreSQL in three statements (their
   * rows made where missing, locked in the order of their ids, then updated), on the embedded
   * database one device after the other.
   *
   * @param c the transaction
   * @param updates at most one per device
   * @param seen when they were heard from
   */
  public void upsertAll(Connection c, List<DeviceUpdate> updates, Instant seen)
      throws SQLException {
    if (updates.isEmpty()) {
      return;
    }
    if (!Jdbc.isPostgres(c)) {
      for (DeviceUpdate u : updates) {
        upsert(c, u.id(), u.labels(), u.online(), u.reported(), u.reports(), seen);
      }
      return;
    }
    String[] ids = updates.stream().map(DeviceUpdate::id).toArray(String[]::new);
    Jdbc.update(
        c,
        "INSERT INTO device (id, labels, online) SELECT d, '{}', FALSE"
            + " FROM unnest(?::varchar[]) AS u (d) ORDER BY d ON CONFLICT DO NOTHING",
        (Object) ids);
    // the rows locked in the order of their ids, as every writer of several takes them: the
    // update's own order is its plan's
    Jdbc.query(
        c,
        "SELECT id FROM device WHERE id = ANY (?::varchar[]) ORDER BY id FOR UPDATE",
        row -> row.getString(1),
        (Object) ids);
    Jdbc.update(
        c,
        "UPDATE device SET labels = COALESCE(u.l, labels), online = COALESCE(u.o, online),"
            + " reported = COALESCE(u.r, reported), reported_rev = reported_rev + u.n,"
            + " last_seen = CASE WHEN "
            + NEWS
            + " THEN ? ELSE last_seen END FROM unnest(?::varchar[], ?::varchar[], ?::boolean[], ?::varchar[],"
            + " ?::bigint[]) AS u (d, l, o, r, n) WHERE id = u.d",
        seen,
        ids,
        updates.stream()
            .map(u -> u.labels() == null ? null : json(u.labels()))
            .toArray(String[]::new),
        c.createArrayOf("boolean", updates.stream().map(DeviceUpdate::online).toArray()),
        updates.stream().map(DeviceUpdate::reported).toArray(String[]::new),
        updates.stream().map(u -> (long) u.reports()).toArray(Long[]::new));
  }

  /**
   * How far each device is: whether it is connected, and how many reports it sent (none stored:
   * -1). Reads no report, labels or telemetry.
   *
   * @return every device's, by id
   */
  public List<ReportRevision> revisions() {
    return db.transaction(
        c ->
            Jdbc.query(
                c,
                "SELECT id, online, CASE WHEN reported IS NULL THEN -1 ELSE reported_rev END"
                    + " FROM device ORDER BY id",
                row -> new ReportRevision(row.getString(1), row.getBoolean(2), row.getLong(3))));
  }

  /**
   * A device's connection and report count.
   *
   * @param id the device
   * @param online whether it is connected
   * @param revision how many reports it sent; -1 when none is stored
   */
  public record ReportRevision(String id, boolean online, long revision) {}

  /**
   * The latest reports of some devices, with their revisions, read 500 at a time.
   *
   * @param ids the devices
   * @return each one's report JSON, by id; a device without one is left out
   */
  public Map<String, Map.Entry<Long, String>> reports(List<String> ids) {
    return db.transaction(
        c -> {
          Map<String, Map.Entry<Long, String>> reports = new java.util.HashMap<>();
          inChunks(
                  c,
                  "SELECT id, reported_rev, reported FROM device WHERE reported IS NOT NULL AND id IN ",
                  ids,
                  row -> Map.entry(row.getString(1), Map.entry(row.getLong(2), row.getString(3))))
              .forEach(entry -> reports.put(entry.getKey(), entry.getValue()));
          return reports;
        });
  }

  /**
   * Every device's effective labels, for matching a selector: every device but the revoked, which
   * nothing reaches any more. Reads no report or telemetry.
   *
   * @return each device's, by id
   */
  public List<Labelled> labels() {
    return db.transaction(
        c ->
            Jdbc.query(
                c,
                "SELECT d.id, d.labels, d.hub_labels FROM device d"
                    + " LEFT JOIN device_identity i ON i.device_id = d.id"
                    + " WHERE i.state IS NULL OR i.state <> ? ORDER BY d.id",
                row ->
                    new Labelled(row.getString(1), effective(row.getString(2), row.getString(3))),
                IdentityState.REVOKED));
  }

  /**
   * Those of some devices that are revoked.
   *
   * @param ids the devices
   * @return the revoked among them, in id order
   */
  public List<String> revoked(List<String> ids) {
    if (ids.isEmpty()) {
      return List.of();
    }
    return db.transaction(
        c ->
            inChunks(
                    c,
                    "SELECT device_id FROM device_identity WHERE state = '"
                        + IdentityState.REVOKED
                        + "' AND device_id IN ",
                    ids,
                    row -> row.getString(1))
                .stream()
                .sorted()
                .toList());
  }

  /**
   * A device's effective labels: those it reports, overridden by those set on the hub.
   *
   * @param id the device
   * @param labels its labels
   */
  public record Labelled(String id, Map<String, String> labels) {}

  /**
   * Some devices in full, read 500 at a time.
   *
   * @param ids the devices
   * @return those known, in the order given
   */
  public List<Device> find(List<String> ids) {
    return db.transaction(
        c -> {
          Map<String, Device> found = new java.util.HashMap<>();
          inChunks(c, SELECT + " WHERE d.id IN ", ids, Devices::read)
              .forEach(device -> found.put(device.id(), device));
          return ids.stream().map(found::get).filter(java.util.Objects::nonNull).toList();
        });
  }

  /** A query ending in {@code IN}, run for the ids 500 at a time; the rows of all. */
  private static <T> List<T> inChunks(Connection c, String sql, List<String> ids, Jdbc.Row<T> row)
      throws SQLException {
    List<T> rows = new java.util.ArrayList<>();
    for (int i = 0; i < ids.size(); i += 500) {
      List<String> chunk = ids.subList(i, Math.min(ids.size(), i + 500));
      rows.addAll(Jdbc.query(c, sql + Jdbc.in(chunk.size()), row, chunk));
    }
    return rows;
  }

  /**
   * A page of every device, by id.
   *
   * @param from how many devices to pass over
   * @param size how many to return at most
   * @return the page
   */
  public List<Device> page(long from, int size) {
    return db.transaction(
        c -> Jdbc.query(c, SELECT + " ORDER BY d.id LIMIT ? OFFSET ?", Devices::read, size, from));
  }

  /** How many devices the hub knows. */
  public long count() {
    return db.transaction(
        c -> Jdbc.query(c, "SELECT COUNT(*) FROM device", row -> row.getLong(1)).get(0));
  }

  /**
   * One device.
   *
   * @param id its id
   * @return the device, if known
   */
  public Optional<Device> find(String id) {
    return db.transaction(
        c -> {
          try (PreparedStatement query = c.prepareStatement(SELECT + " WHERE d.id = ?")) {
            query.setString(1, id);
            try (ResultSet row = query.executeQuery()) {
              return row.next() ? Optional.of(read(row)) : Optional.empty();
            }
          }
        });
  }

  private static Device read(ResultSet row) throws SQLException {
    try {
      Map<String, String> reported = JSON.readValue(row.getString(2), LABELS);
      Map<String, String> hub = JSON.readValue(row.getString(6), LABELS);
      Timestamp seen = row.getTimestamp(4);
      Timestamp telemetryAt = row.getTimestamp(8);
      return new Device(
          row.getString(1),
          effective(reported, hub),
          reported,
          hub,
          row.getBoolean(3),
          seen == null ? null : seen.toInstant(),
          row.getString(5),
          telemetryAt == null
              ? null
              : new Device.Telemetry(
                  row.getLong(7), telemetryAt.toInstant(), row.getLong(9), row.getString(10)),
          enrollment(row));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Map<String, String> effective(String reported, String hub) {
    try {
      return effective(JSON.readValue(reported, LABELS), JSON.readValue(hub, LABELS));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The labels a device reports, overridden by those set on the hub. */
  private static Map<String, String> effective(
      Map<String, String> reported, Map<String, String> hub) {
    Map<String, String> effective = new java.util.TreeMap<>(reported);
    effective.putAll(hub);
    return effective;
  }

  private static DeviceEnrollment enrollment(ResultSet row) throws SQLException {
    String state = row.getString(11);
    return state == null
        ? null
        : new DeviceEnrollment(
            state,
            row.getString(12),
            Jdbc.time(row, 13),
            Jdbc.time(row, 14),
            row.getString(15),
            Jdbc.time(row, 16),
            Jdbc.time(row, 17));
  }

  private static String json(Map<String, String> labels) {
    try {
      return JSON.writeValueAsString(labels);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
