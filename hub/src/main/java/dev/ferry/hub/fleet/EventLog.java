package dev.ferry.hub.fleet;

import dev.ferry.hub.db.Database;
import dev.ferry.protocol.device.DeviceEvent;
import dev.ferry.protocol.device.EventType;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** The devices' update events, each kept once (a repeated delivery has the same id). */
@ApplicationScoped
public class EventLog {
  @Inject Database db;

  /**
   * Records an event.
   *
   * @param c the transaction
   * @param event the event
   * @param now when it arrived
   * @return false when it was recorded before
   */
  public boolean record(Connection c, DeviceEvent event, Instant now) throws SQLException {
    try (PreparedStatement insert =
        c.prepareStatement(
            "INSERT INTO device_event (id, device_id, at, type, desired_sequence, model, version,"
                + " bytes_done, bytes_total, reason, received_at)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING")) {
      insert.setString(1, event.id());
      insert.setString(2, event.deviceId());
      insert.setTimestamp(3, Timestamp.from(event.at()));
      insert.setString(4, event.type().name());
      insert.setLong(5, event.desiredSequence());
      insert.setString(6, event.model());
      insert.setString(7, event.version());
      setLong(insert, 8, event.bytesDone());
      setLong(insert, 9, event.bytesTotal());
      insert.setString(10, event.reason());
      insert.setTimestamp(11, Timestamp.from(now));
      return insert.executeUpdate() == 1;
    }
  }

  /**
   * The newest events, optionally of one device and one model.
   *
   * @param device a device id, or null for all
   * @param model a model name, or null for all
   * @param limit at most this many
   * @return newest first
   */
  public List<DeviceEvent> newest(String device, String model, int limit) {
    return db.transaction(
        c -> {
          StringBuilder sql =
              new StringBuilder(
                  "SELECT id, device_id, at, type, desired_sequence, model, version, bytes_done,"
                      + " bytes_total, reason FROM device_event WHERE 1 = 1");
          List<String> args = new ArrayList<>();
          if (device != null) {
            sql.append(" AND device_id = ?");
            args.add(device);
          }
          if (model != null) {
            sql.append(" AND model = ?");
            args.add(model);
          }
          sql.append(" ORDER BY at DESC, received_at DESC LIMIT ").append(limit);
          List<DeviceEvent> events = new ArrayList<>();
          try (PreparedStatement query = c.prepareStatement(sql.toString())) {
            for (int i = 0; i < args.size(); i++) {
              query.setString(i + 1, args.get(i));
            }
            try (ResultSet row = query.executeQuery()) {
              while (row.next()) {
                events.add(
                    new DeviceEvent(
                        row.getString(1),
                        row.getString(2),
                        row.getTimestamp(3).toInstant(),
                        EventType.valueOf(row.getString(4)),
                        row.getLong(5),
                        row.getString(6),
                        row.getString(7),
                        (Long) row.getObject(8, Long.class),
                        (Long) row.getObject(9, Long.class),
                        row.getString(10)));
              }
            }
          }
          return events;
        });
  }

  private static void setLong(PreparedStatement statement, int index, Long value)
      throws SQLException {
    if (value == null) {
      statement.setNull(index, Types.BIGINT);
    } else {
      statement.setLong(index, value);
    }
  }
}
