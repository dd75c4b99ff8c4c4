package dev.ferry.hub.fleet;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ferry.hub.db.Database;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The devices the hub knows, in its database. */
@ApplicationScoped
public class Devices {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Inject Database db;

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
                + " reported = COALESCE(?, reported), last_seen = COALESCE(?, last_seen) WHERE id = ?")) {
      update.setString(1, labels == null ? null : json(labels));
      update.setObject(2, online);
      update.setString(3, reported);
      update.setTimestamp(4, seen == null ? null : Timestamp.from(seen));
      update.setString(5, id);
      update.executeUpdate();
    }
  }

  /** Every device, by id. */
  public List<Device> all() {
    return db.transaction(
        c -> {
          List<Device> devices = new ArrayList<>();
          try (PreparedStatement query =
                  c.prepareStatement(
                      "SELECT id, labels, online, last_seen, reported FROM device ORDER BY id");
              ResultSet row = query.executeQuery()) {
            while (row.next()) {
              devices.add(read(row));
            }
          }
          return devices;
        });
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
          try (PreparedStatement query =
              c.prepareStatement(
                  "SELECT id, labels, online, last_seen, reported FROM device WHERE id = ?")) {
            query.setString(1, id);
            try (ResultSet row = query.executeQuery()) {
              return row.next() ? Optional.of(read(row)) : Optional.empty();
            }
          }
        });
  }

  private static Device read(ResultSet row) throws SQLException {
    try {
      Map<String, String> labels = JSON.readValue(row.getString(2), new TypeReference<>() {});
      Timestamp seen = row.getTimestamp(4);
      return new Device(
          row.getString(1),
          labels,
          row.getBoolean(3),
          seen == null ? null : seen.toInstant(),
          row.getString(5));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String json(Map<String, String> labels) {
    try {
      return JSON.writeValueAsString(labels);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
