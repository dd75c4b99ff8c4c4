package dev.ferry.hub.rollout;

import dev.ferry.hub.config.HubConfig;
import dev.ferry.hub.db.Database;
import dev.ferry.hub.fleet.HubMqtt;
import dev.ferry.hub.signing.HubKeys;
import dev.ferry.protocol.device.Channel;
import dev.ferry.protocol.device.DesiredState;
import dev.ferry.protocol.device.ModelAssignment;
import dev.ferry.protocol.device.Topic;
import dev.ferry.protocol.json.JsonCodec;
import dev.ferry.protocol.oci.Digest;
import dev.ferry.protocol.signing.Envelope;
import dev.ferry.protocol.signing.PayloadTypes;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.jboss.logging.Logger;

/**
 * Writes a device's desired state — every model assigned to it, sequence + 1, an expiry — signs it
 * with the hub key, and publishes it retained on the device's {@code desired} topic.
 */
@ApplicationScoped
public class DesiredStates {
  private static final Logger LOG = Logger.getLogger(DesiredStates.class);

  private final JsonCodec codec = new JsonCodec(16 * 1024 * 1024);

  @Inject HubConfig config;
  @Inject HubKeys keys;
  @Inject HubMqtt mqtt;
  @Inject Database db;

  /**
   * A signed desired state.
   *
   * @param sequence its sequence
   * @param envelope the envelope's JSON bytes
   */
  public record Signed(long sequence, byte[] envelope) {}

  /**
   * Signs the device's next desired state from its assignments and stores it as not yet published,
   * in the caller's transaction. {@link #publish} the result after the commit.
   *
   * @param c the transaction
   * @param deviceId the device
   * @param now the issue time
   * @return the signed state
   */
  public Signed next(Connection c, String deviceId, Instant now) throws SQLException {
    long sequence = lastSequence(c, deviceId) + 1;
    DesiredState state =
        new DesiredState(
            deviceId, sequence, now, now.plus(config.desiredValidity()), assignments(c, deviceId));
    Envelope envelope = keys.hubSigner().sign(PayloadTypes.DESIRED, codec.encode(state));
    byte[] bytes = codec.encode(envelope);
    store(c, state, new String(bytes, StandardCharsets.UTF_8));
    return new Signed(sequence, bytes);
  }

  /**
   * Publishes signed desired states, retained, and marks those the broker took as published. One
   * that could not be published (broker away) stays marked and {@link #publishLeftOver} sends it.
   *
   * @param states the envelopes by device
   */
  public void publish(Map<String, Signed> states) {
    Map<String, Long> published = new LinkedHashMap<>();
    states.forEach(
        (device, signed) -> {
          if (send(device, signed.envelope())) {
            published.put(device, signed.sequence());
          }
        });
    if (!published.isEmpty()) {
      db.transaction(c -> markPublished(c, published));
    }
  }

  /**
   * Publishes desired states stored but not published for longer than a grace period (the broker
   * was away, or the replica that signed them stopped before publishing). Replicas split the work:
   * each row is claimed with {@code SKIP LOCKED}.
   *
   * @param now the current time
   * @param grace how long a state may wait for its signer to publish it
   * @return how many were published
   */
  public int publishLeftOver(Instant now, Duration grace) {
    return db.transaction(
        c -> {
          Map<String, Long> published = new LinkedHashMap<>();
          try (PreparedStatement query =
              c.prepareStatement(
                  "SELECT device_id, sequence, envelope FROM desired_state"
                      + " WHERE published = FALSE AND issued_at < ? ORDER BY issued_at LIMIT 1000"
                      + " FOR UPDATE SKIP LOCKED")) {
            query.setTimestamp(1, Timestamp.from(now.minus(grace)));
            try (ResultSet row = query.executeQuery()) {
              while (row.next()) {
                if (send(row.getString(1), row.getString(3).getBytes(StandardCharsets.UTF_8))) {
                  published.put(row.getString(1), row.getLong(2));
                }
              }
            }
          }
          return markPublished(c, published);
        });
  }

  private boolean send(String deviceId, byte[] envelope) {
    try {
      mqtt.publish(new Topic(deviceId, Channel.DESIRED).toString(), envelope, true);
      return true;
    } catch (MqttException e) {
      LOG.warnf("cannot publish the desired state of %s yet: %s", deviceId, e.getMessage());
      return false;
    }
  }

  private static int markPublished(Connection c, Map<String, Long> published) throws SQLException {
    try (PreparedStatement update =
        c.prepareStatement(
            "UPDATE desired_state SET published = TRUE WHERE device_id = ? AND sequence = ?")) {
      for (var entry : published.entrySet()) {
        update.setString(1, entry.getKey());
        update.setLong(2, entry.getValue());
        update.addBatch();
      }
      if (!published.isEmpty()) {
        update.executeBatch();
      }
    }
    return published.size();
  }

  /** Locks the device's row, creating it first, so that two rollouts never take one sequence. */
  private static long lastSequence(Connection c, String deviceId) throws SQLException {
    try (PreparedStatement insert =
        c.prepareStatement(
            "INSERT INTO desired_state (device_id, sequence, issued_at, expires_at, envelope)"
                + " VALUES (?, 0, ?, ?, '') ON CONFLICT DO NOTHING")) {
      Timestamp epoch = Timestamp.from(Instant.EPOCH);
      insert.setString(1, deviceId);
      insert.setTimestamp(2, epoch);
      insert.setTimestamp(3, epoch);
      insert.executeUpdate();
    }
    try (PreparedStatement query =
        c.prepareStatement("SELECT sequence FROM desired_state WHERE device_id = ? FOR UPDATE")) {
      query.setString(1, deviceId);
      try (ResultSet row = query.executeQuery()) {
        return row.next() ? row.getLong(1) : 0;
      }
    }
  }

  private List<ModelAssignment> assignments(Connection c, String deviceId) throws SQLException {
    List<ModelAssignment> models = new ArrayList<>();
    try (PreparedStatement query =
        c.prepareStatement(
            "SELECT a.model, r.repository, r.manifest_digest, r.statement FROM assignment a"
                + " JOIN model_release r ON r.model = a.model AND r.version = a.version"
                + " WHERE a.device_id = ? ORDER BY a.model")) {
      query.setString(1, deviceId);
      try (ResultSet row = query.executeQuery()) {
        while (row.next()) {
          Envelope release =
              codec.decode(row.getString(4).getBytes(StandardCharsets.UTF_8), Envelope.class);
          models.add(
              new ModelAssignment(
                  row.getString(1), row.getString(2), Digest.parse(row.getString(3)), release));
        }
      }
    }
    return models;
  }

  private static void store(Connection c, DesiredState state, String envelope) throws SQLException {
    try (PreparedStatement update =
        c.prepareStatement(
            "UPDATE desired_state SET sequence = ?, issued_at = ?, expires_at = ?, envelope = ?,"
                + " published = FALSE WHERE device_id = ?")) {
      bind(update, state, envelope);
      update.executeUpdate();
    }
  }

  private static void bind(PreparedStatement statement, DesiredState state, String envelope)
      throws SQLException {
    statement.setLong(1, state.sequence());
    statement.setTimestamp(2, Timestamp.from(state.issuedAt()));
    statement.setTimestamp(3, Timestamp.from(state.expiresAt()));
    statement.setString(4, envelope);
    statement.setString(5, state.deviceId());
  }
}
