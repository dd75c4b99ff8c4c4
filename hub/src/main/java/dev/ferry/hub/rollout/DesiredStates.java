package dev.ferry.hub.rollout;

import dev.ferry.hub.config.HubConfig;
import dev.ferry.hub.db.Database;
import dev.ferry.hub.db.Jdbc;
import dev.ferry.hub.fleet.HubMqtt;
import dev.ferry.hub.signing.HubKeys;
import dev.ferry.protocol.capture.CapturePolicy;
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
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * Writes a device's desired state — every model assigned to it, the releases it prefetches,
 * sequence + 1, an expiry — signs it with the hub key, and publishes it retained on the device's
 * {@code desired} topic.
 */
@ApplicationScoped
public class DesiredStates {
  private static final Logger LOG = Logger.getLogger(DesiredStates.class);

  private static final int CHUNK = 1000;
  private static final String LEFT_OVER =
      "SELECT device_id, sequence FROM desired_unpublished WHERE issued_at < ?"
          + " ORDER BY issued_at LIMIT 1000 FOR UPDATE SKIP LOCKED";
  private static final String ENVELOPES =
      "SELECT device_id, sequence, envelope FROM desired_state WHERE device_id IN ";
  // the devices assigned a release, locked in id order as a fan-out locks them
  private static final String ASSIGNED_LOCK =
      "SELECT device_id FROM desired_state WHERE device_id IN"
          + " (SELECT device_id FROM assignment WHERE model = ? AND version = ?)"
          + " ORDER BY device_id FOR UPDATE";
  private static final String TO_SIGN_AGAIN =
      "UPDATE desired_state SET key_id = NULL WHERE device_id IN"
          + " (SELECT device_id FROM assignment WHERE model = ? AND version = ?)";
  private static final String EXPIRING =
      "SELECT device_id FROM desired_state WHERE expires_at < ? ORDER BY device_id";
  // states signed (sequence above 0) by a key other than the listed ones, or by a key not recorded
  private static final String SIGNED_BY_OTHERS =
      "SELECT device_id FROM desired_state WHERE sequence > 0"
          + " AND (key_id IS NULL OR key_id NOT IN %s) ORDER BY device_id LIMIT ?";
  private static final String MARK_PUBLISHED =
      "DELETE FROM desired_unpublished WHERE device_id = ? AND sequence = ?";
  private static final String UNPUBLISHED =
      "MERGE INTO desired_unpublished (device_id, sequence, issued_at) KEY (device_id)"
          + " VALUES (?, ?, ?)";
  private static final String CREATE =
      "INSERT INTO desired_state (device_id, sequence, issued_at, expires_at, envelope)"
          + " VALUES (?, 0, ?, ?, '') ON CONFLICT DO NOTHING";
  private static final String LOCK =
      "SELECT device_id, sequence FROM desired_state WHERE device_id IN ";
  private static final String ASSIGNMENTS =
      "SELECT a.device_id, a.model, r.repository, r.manifest_digest, r.statement,"
          + " COALESCE(pr.policy, pv.policy)"
          + " FROM assignment a"
          + " JOIN model_release r ON r.model = a.model AND r.version = a.version"
          + " LEFT JOIN capture_policy_rollout pr ON pr.rollout_id = a.rollout_id"
          + " LEFT JOIN capture_policy_version pv"
          + " ON pv.model = a.model AND pv.version = a.version"
          + " WHERE a.device_id IN ";
  // the releases of started, unended rollouts that prefetch, in which the device still waits;
  // not a version the device is assigned, which also leaves out the release of a rollout that
  // assigns it in this transaction (its row turns ASSIGNED only after its state is signed)
  private static final String PREFETCHES =
      "SELECT rd.device_id, r.model, mr.repository, mr.manifest_digest, mr.statement, NULL"
          + " FROM rollout_device rd JOIN rollout r ON r.id = rd.rollout_id"
          + " JOIN model_release mr ON mr.model = r.model AND mr.version = r.version"
          + " WHERE rd.state = ? AND r.prefetch = TRUE AND r.wave_started_at IS NOT NULL"
          + " AND r.state IN "
          + Jdbc.in(RolloutState.PREFETCHING.size())
          + " AND NOT EXISTS (SELECT 1 FROM assignment a WHERE a.device_id = rd.device_id"
          + " AND a.model = r.model AND a.version = r.version)"
          + " AND rd.device_id IN ";
  // whether any rollout prefetches now: a fan-out of one that does not skips the query above
  private static final String ANY_PREFETCHING =
      "SELECT id FROM rollout WHERE prefetch = TRUE AND wave_started_at IS NOT NULL AND state IN "
          + Jdbc.in(RolloutState.PREFETCHING.size());
  private static final String CREATE_ARRAY =
      "INSERT INTO desired_state (device_id, sequence, issued_at, expires_at, envelope)"
          + " SELECT d, 0, ?, ?, '' FROM unnest(?::varchar[]) AS u (d) ON CONFLICT DO NOTHING";
  private static final String MARK_PUBLISHED_ARRAY =
      "DELETE FROM desired_unpublished USING unnest(?::varchar[], ?::bigint[]) AS u (d, s)"
          + " WHERE device_id = u.d AND sequence = u.s";
  private static final String UNPUBLISHED_ARRAY =
      "INSERT INTO desired_unpublished (device_id, sequence, issued_at)"
          + " SELECT d, s, ? FROM unnest(?::varchar[], ?::bigint[]) AS u (d, s)"
          + " ON CONFLICT (device_id) DO UPDATE SET sequence = EXCLUDED.sequence,"
          + " issued_at = EXCLUDED.issued_at";
  private static final String STORE_ARRAY =
      "UPDATE desired_state SET sequence = u.s, issued_at = ?, expires_at = ?, envelope = u.e,"
          + " key_id = ? FROM unnest(?::varchar[], ?::bigint[], ?::text[]) AS u (d, s, e)"
          + " WHERE device_id = u.d";
  private static final String STORE =
      "UPDATE desired_state SET sequence = ?, issued_at = ?, expires_at = ?, envelope = ?,"
          + " key_id = ? WHERE device_id = ?";

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
    boolean prefetching =
        !Jdbc.query(c, ANY_PREFETCHING, row -> 1, RolloutState.PREFETCHING).isEmpty();
    for (int from = 0; from < sorted.size(); from += CHUNK) {
      List<String> chunk = sorted.subList(from, Math.min(sorted.size(), from + CHUNK));
      signed.putAll(nextChunk(c, chunk, now, prefetching));
    }
    return signed;
  }

  /**
   * Publishes signed desired states, retained, and marks those the broker took as published. One
   * that could not be published (broker away) stays unpublished and {@link #publishLeftOver} sends
   * it.
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
          Map<String, Long> claimed = new LinkedHashMap<>();
          for (Sequence row : Jdbc.query(c, LEFT_OVER, Sequence::read, now.minus(grace))) {
            claimed.put(row.device(), row.sequence());
          }
          if (claimed.isEmpty()) {
            return 0;
          }
          Map<String, Signed> left = new LinkedHashMap<>();
          String sql = ENVELOPES + Jdbc.in(claimed.size());
          for (Unpublished row : Jdbc.query(c, sql, Unpublished::read, claimed.keySet())) {
            // a claimed row locks its device's next store out, so the stored state is the one
            if (claimed.get(row.device()) == row.signed().sequence()) {
              left.put(row.device(), row.signed());
            }
          }
          return markPublished(c, send(left));
        });
  }

  /**
   * The devices whose desired state expires before a time, in id order.
   *
   * @param c the transaction
   * @param before the time
   * @return their ids
   */
  public List<String> expiringBefore(Connection c, Instant before) throws SQLException {
    return Jdbc.query(c, EXPIRING, row -> row.getString(1), before);
  }

  /**
   * Devices whose desired state was signed by a key other than the given ones (a hub key the newest
   * root no longer lists, or one not recorded), in id order.
   *
   * @param c the transaction
   * @param keyIds the hub keys devices accept
   * @param limit how many at most
   * @return their ids
   */
  public List<String> signedByOtherKeys(Connection c, Collection<String> keyIds, int limit)
      throws SQLException {
    String sql = SIGNED_BY_OTHERS.formatted(Jdbc.in(keyIds.size()));
    return Jdbc.query(c, sql, row -> row.getString(1), keyIds, limit);
  }

  /**
   * Marks the desired states that assign a release to be signed again (a key not recorded), in the
   * caller's transaction: its statement was signed again, and they carry the one before.
   *
   * @param c the transaction
   * @param model the release's model
   * @param version its version
   * @return how many were marked
   */
  public int markToSignAgain(Connection c, String model, String version) throws SQLException {
    Jdbc.query(c, ASSIGNED_LOCK, row -> row.getString(1), model, version);
    return Jdbc.update(c, TO_SIGN_AGAIN, model, version);
  }

  /** A device's stored desired state, not published yet. */
  private record Unpublished(String device, Signed signed) {
    static Unpublished read(ResultSet row) throws SQLException {
      byte[] envelope = row.getString(3).getBytes(StandardCharsets.UTF_8);
      return new Unpublished(row.getString(1), new Signed(row.getLong(2), envelope));
    }
  }

  /** A device's last desired-state sequence. */
  private record Sequence(String device, long sequence) {
    static Sequence read(ResultSet row) throws SQLException {
      return new Sequence(row.getString(1), row.getLong(2));
    }
  }

  private Map<String, Signed> nextChunk(
      Connection c, List<String> chunk, Instant now, boolean prefetching) throws SQLException {
    Map<String, Long> last = lastSequences(c, chunk);
    // a release's statement is the same for every device it goes to: decoded once
    Map<String, Envelope> statements = new HashMap<>();
    Map<String, List<ModelAssignment>> models = assignments(c, chunk, statements);
    Map<String, List<ModelAssignment>> prefetch =
        prefetching ? prefetches(c, chunk, statements) : Map.of();
    List<DesiredState> states = new ArrayList<>(chunk.size());
    Instant expires = now.plus(config.desiredValidity());
    for (String device : chunk) {
      long sequence = last.getOrDefault(device, 0L) + 1;
      states.add(
          new DesiredState(
              device,
              sequence,
              now,
              expires,
              models.getOrDefault(device, List.of()),
              prefetch.getOrDefault(device, List.of())));
    }
    Signer signer = keys.hubSigner();
    List<byte[]> envelopes = sign(signer, states);
    Map<String, Signed> signed = new LinkedHashMap<>();
    for (int i = 0; i < states.size(); i++) {
      signed.put(chunk.get(i), new Signed(states.get(i).sequence(), envelopes.get(i)));
    }
    store(c, states, envelopes, signer.keyId(), now, expires);
    return signed;
  }

  /** Signing is most of a fan-out's CPU: on every core. */
  private List<byte[]> sign(Signer signer, List<DesiredState> states) {
    return states.parallelStream()
        .map(state -> codec.encode(signer.sign(PayloadTypes.DESIRED, codec.encode(state))))
        .toList();
  }

  /** Publishes retained, pipelined; returns the sequences the broker acknowledged, by device. */
  private Map<String, Long> send(Map<String, Signed> states) {
    List<String> devices = List.copyOf(states.keySet());
    List<HubMqtt.Outgoing> messages = new ArrayList<>(devices.size());
    for (String device : devices) {
      String topic = new Topic(device, Channel.DESIRED).toString();
      messages.add(new HubMqtt.Outgoing(topic, states.get(device).envelope(), true));
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
    if (Jdbc.isPostgres(c)) {
      String[] devices = published.keySet().toArray(String[]::new);
      Jdbc.update(c, MARK_PUBLISHED_ARRAY, devices, published.values().toArray(Long[]::new));
      return published.size();
    }
    List<List<Object>> rows = new ArrayList<>();
    published.forEach((device, sequence) -> rows.add(List.of(device, sequence)));
    Jdbc.batch(c, MARK_PUBLISHED, rows);
    return published.size();
  }

  /** Locks the devices' rows, creating them first, so that two rollouts never take one sequence. */
  private static Map<String, Long> lastSequences(Connection c, List<String> devices)
      throws SQLException {
    if (Jdbc.isPostgres(c)) {
      Jdbc.update(c, CREATE_ARRAY, Instant.EPOCH, Instant.EPOCH, devices.toArray(String[]::new));
    } else {
      List<List<Object>> rows = new ArrayList<>();
      devices.forEach(device -> rows.add(List.of(device, Instant.EPOCH, Instant.EPOCH)));
      Jdbc.batch(c, CREATE, rows);
    }
    Map<String, Long> sequences = new HashMap<>();
    String sql = LOCK + Jdbc.in(devices.size()) + " ORDER BY device_id FOR UPDATE";
    for (Sequence row : Jdbc.query(c, sql, Sequence::read, devices)) {
      sequences.put(row.device(), row.sequence());
    }
    return sequences;
  }

  private Map<String, List<ModelAssignment>> assignments(
      Connection c, List<String> devices, Map<String, Envelope> statements) throws SQLException {
    Map<String, List<ModelAssignment>> models = new HashMap<>();
    // a policy is the same for every device it goes to: decoded once
    Map<String, CapturePolicy> policies = new HashMap<>();
    String sql = ASSIGNMENTS + Jdbc.in(devices.size()) + " ORDER BY a.device_id, a.model";
    for (Assigned row : Jdbc.query(c, sql, Assigned::read, devices)) {
      CapturePolicy capture =
          row.policy() == null ? null : policies.computeIfAbsent(row.policy(), this::policy);
      models
          .computeIfAbsent(row.device(), k -> new ArrayList<>())
          .add(model(row, statements, capture));
    }
    return models;
  }

  /**
   * The releases each device prefetches: one per model, of the newest rollout that prefetches it to
   * the device, unless the device is assigned that version already.
   */
  private Map<String, List<ModelAssignment>> prefetches(
      Connection c, List<String> devices, Map<String, Envelope> statements) throws SQLException {
    Map<String, Map<String, ModelAssignment>> byModel = new HashMap<>();
    String sql =
        PREFETCHES
            + Jdbc.in(devices.size())
            + " ORDER BY rd.device_id, r.model, r.created_at DESC, r.id";
    List<Assigned> rows =
        Jdbc.query(
            c, sql, Assigned::read, DeviceProgress.WAITING, RolloutState.PREFETCHING, devices);
    for (Assigned row : rows) {
      byModel
          .computeIfAbsent(row.device(), k -> new LinkedHashMap<>())
          .computeIfAbsent(row.model(), k -> model(row, statements, null));
    }
    Map<String, List<ModelAssignment>> prefetch = new HashMap<>();
    byModel.forEach((device, models) -> prefetch.put(device, List.copyOf(models.values())));
    return prefetch;
  }

  private ModelAssignment model(
      Assigned row, Map<String, Envelope> statements, CapturePolicy capture) {
    return new ModelAssignment(
        row.model(),
        row.repository(),
        Digest.parse(row.digest()),
        statements.computeIfAbsent(row.statement(), this::envelope),
        capture);
  }

  /**
   * A model assigned to a device (or prefetched), with its release's repository, digest and
   * statement, and the capture policy in force (the assigning rollout's, else the version's; null
   * for capture off or a prefetch).
   */
  private record Assigned(
      String device,
      String model,
      String repository,
      String digest,
      String statement,
      String policy) {
    static Assigned read(ResultSet row) throws SQLException {
      return new Assigned(
          row.getString(1),
          row.getString(2),
          row.getString(3),
          row.getString(4),
          row.getString(5),
          row.getString(6));
    }
  }

  private CapturePolicy policy(String json) {
    return codec.decode(json.getBytes(StandardCharsets.UTF_8), CapturePolicy.class);
  }

  private Envelope envelope(String json) {
    return codec.decode(json.getBytes(StandardCharsets.UTF_8), Envelope.class);
  }

  /** Stores signed states, all signed by one key, issued and expiring at the same times. */
  private static void store(
      Connection c,
      List<DesiredState> states,
      List<byte[]> envelopes,
      String keyId,
      Instant now,
      Instant expires)
      throws SQLException {
    if (Jdbc.isPostgres(c)) {
      String[] devices = states.stream().map(DesiredState::deviceId).toArray(String[]::new);
      Long[] sequences = states.stream().map(DesiredState::sequence).toArray(Long[]::new);
      String[] texts =
          envelopes.stream().map(e -> new String(e, StandardCharsets.UTF_8)).toArray(String[]::new);
      Jdbc.update(c, STORE_ARRAY, now, expires, keyId, devices, sequences, texts);
      Jdbc.update(c, UNPUBLISHED_ARRAY, now, devices, sequences);
      return;
    }
    List<List<Object>> rows = new ArrayList<>();
    List<List<Object>> unpublished = new ArrayList<>();
    for (int i = 0; i < states.size(); i++) {
      DesiredState state = states.get(i);
      String envelope = new String(envelopes.get(i), StandardCharsets.UTF_8);
      rows.add(
          List.of(
              state.sequence(),
              state.issuedAt(),
              state.expiresAt(),
              envelope,
              keyId,
              state.deviceId()));
      unpublished.add(List.of(state.deviceId(), state.sequence(), state.issuedAt()));
    }
    Jdbc.batch(c, STORE, rows);
    Jdbc.batch(c, UNPUBLISHED, unpublished);
  }
}
