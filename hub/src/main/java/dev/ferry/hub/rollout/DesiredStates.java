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
import dev.ferry.protocol.signing.Signer;
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
import java.util.BitSet;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * Writes a device's desired state — every model assigned to it, sequence + 1, an expiry — signs it
 * with the hub key, and publishes it retained on the device's {@code desired} topic.
 */
@ApplicationScoped
public class DesiredStates {
  private static final Logger LOG = Logger.getLogger(DesiredStates.class);

  private static final int CHUNK = 1000;

  private final JsonCodec codec = new JsonCodec();

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
    return nextAll(c, List.of(deviceId), now).get(deviceId);
  }

  /**
   * The same for many devices, a few statements per thousand devices rather than per device.
   *
   * @param c the transaction
   * @param deviceIds the devices
   * @param now the issue time
   * @return the signed states by device
   */
  public Map<String, Signed> nextAll(Connection c, Collection<String> deviceIds, Instant now)
      throws SQLException {
    // rows are locked in id order, so two transactions never wait on each other in a circle
    List<String> sorted = deviceIds.stream().distinct().sorted().toList();
    Map<String, Signed> signed = new LinkedHashMap<>();
    for (int from = 0; from < sorted.size(); from += CHUNK) {
      List<String> chunk = sorted.subList(from, Math.min(sorted.size(), from + CHUNK));
      Map<String, Long> last = lastSequences(c, chunk);
      Map<String, List<ModelAssignment>> models = assignments(c, chunk);
      List<DesiredState> states = new ArrayList<>(chunk.size());
      for (String device : chunk) {
        states.add(
            new DesiredState(
                device,
                last.getOrDefault(device, 0L) + 1,
                now,
                now.plus(config.desiredValidity()),
                models.getOrDefault(device, List.of())));
      }
      // signing is most of a fan-out's CPU: on every core
      Signer signer = keys.hubSigner();
      List<byte[]> envelopes =
          states.parallelStream()
              .map(state -> codec.encode(signer.sign(PayloadTypes.DESIRED, codec.encode(state))))
              .toList();
      for (int i = 0; i < states.size(); i++) {
        signed.put(chunk.get(i), new Signed(states.get(i).sequence(), envelopes.get(i)));
      }
      store(c, states, envelopes.stream().map(b -> new String(b, StandardCharsets.UTF_8)).toList());
    }
    return signed;
  }

  /**
   * Publishes signed desired states, retained, and marks those the broker took as published. One
   * that could not be published (broker away) stays marked and {@link #publishLeftOver} sends it.
   *
   * @param states the envelopes by device
   */
  public void publish(Map<String, Signed> states) {
    Map<String, Long> published = send(states);
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
          Map<String, Signed> left = new LinkedHashMap<>();
          try (PreparedStatement query =
              c.prepareStatement(
                  "SELECT device_id, sequence, envelope FROM desired_state"
                      + " WHERE published = FALSE AND issued_at < ? ORDER BY issued_at LIMIT 1000"
                      + " FOR UPDATE SKIP LOCKED")) {
            query.setTimestamp(1, Timestamp.from(now.minus(grace)));
            try (ResultSet row = query.executeQuery()) {
              while (row.next()) {
                left.put(
                    row.getString(1),
                    new Signed(row.getLong(2), row.getString(3).getBytes(StandardCharsets.UTF_8)));
              }
            }
          }
          Map<String, Long> published = send(left);
          return markPublished(c, published);
        });
  }

  /** Publishes retained, pipelined; returns the sequences the broker acknowledged, by device. */
  private Map<String, Long> send(Map<String, Signed> states) {
    List<String> devices = List.copyOf(states.keySet());
    List<HubMqtt.Outgoing> messages = new ArrayList<>(devices.size());
    for (String device : devices) {
      messages.add(
          new HubMqtt.Outgoing(
              new Topic(device, Channel.DESIRED).toString(), states.get(device).envelope(), true));
    }
    BitSet sent = mqtt.publishAll(messages);
    Map<String, Long> published = new LinkedHashMap<>();
    sent.stream()
        .forEach(i -> published.put(devices.get(i), states.get(devices.get(i)).sequence()));
    if (published.size() < devices.size()) {
      LOG.warnf(
          "%d of %d desired states not published yet; the sweep sends them",
          devices.size() - published.size(), devices.size());
    }
    return published;
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

  /** Locks the devices' rows, creating them first, so that two rollouts never take one sequence. */
  private static Map<String, Long> lastSequences(Connection c, List<String> devices)
      throws SQLException {
    try (PreparedStatement insert =
        c.prepareStatement(
            "INSERT INTO desired_state (device_id, sequence, issued_at, expires_at, envelope)"
                + " VALUES (?, 0, ?, ?, '') ON CONFLICT DO NOTHING")) {
      Timestamp epoch = Timestamp.from(Instant.EPOCH);
      for (String device : devices) {
        insert.setString(1, device);
        insert.setTimestamp(2, epoch);
        insert.setTimestamp(3, epoch);
        insert.addBatch();
      }
      insert.executeBatch();
    }
    Map<String, Long> sequences = new HashMap<>();
    try (PreparedStatement query =
        c.prepareStatement(
            "SELECT device_id, sequence FROM desired_state WHERE device_id IN ("
                + placeholders(devices.size())
                + ") ORDER BY device_id FOR UPDATE")) {
      bindAll(query, devices);
      try (ResultSet row = query.executeQuery()) {
        while (row.next()) {
          sequences.put(row.getString(1), row.getLong(2));
        }
      }
    }
    return sequences;
  }

  private Map<String, List<ModelAssignment>> assignments(Connection c, List<String> devices)
      throws SQLException {
    Map<String, List<ModelAssignment>> models = new HashMap<>();
    // a release's statement is the same for every device it goes to: decoded once
    Map<String, Envelope> statements = new HashMap<>();
    try (PreparedStatement query =
        c.prepareStatement(
            "SELECT a.device_id, a.model, r.repository, r.manifest_digest, r.statement"
                + " FROM assignment a"
                + " JOIN model_release r ON r.model = a.model AND r.version = a.version"
                + " WHERE a.device_id IN ("
                + placeholders(devices.size())
                + ") ORDER BY a.device_id, a.model")) {
      bindAll(query, devices);
      try (ResultSet row = query.executeQuery()) {
        while (row.next()) {
          Envelope release =
              statements.computeIfAbsent(
                  row.getString(5),
                  json -> codec.decode(json.getBytes(StandardCharsets.UTF_8), Envelope.class));
          models
              .computeIfAbsent(row.getString(1), k -> new ArrayList<>())
              .add(
                  new ModelAssignment(
                      row.getString(2), row.getString(3), Digest.parse(row.getString(4)), release));
        }
      }
    }
    return models;
  }

  private static void store(Connection c, List<DesiredState> states, List<String> envelopes)
      throws SQLException {
    try (PreparedStatement update =
        c.prepareStatement(
            "UPDATE desired_state SET sequence = ?, issued_at = ?, expires_at = ?, envelope = ?,"
                + " published = FALSE WHERE device_id = ?")) {
      for (int i = 0; i < states.size(); i++) {
        bind(update, states.get(i), envelopes.get(i));
        update.addBatch();
      }
      update.executeBatch();
    }
  }

  private static String placeholders(int count) {
    return String.join(", ", Collections.nCopies(count, "?"));
  }

  private static void bindAll(PreparedStatement statement, List<String> values)
      throws SQLException {
    for (int i = 0; i < values.size(); i++) {
      statement.setString(i + 1, values.get(i));
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
