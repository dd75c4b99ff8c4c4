package dev.ferry.hub.rollout;

import static dev.ferry.hub.db.Jdbc.in;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.hub.db.Jdbc;
import dev.ferry.hub.telemetry.RolloutMetrics;
import dev.ferry.protocol.api.DeviceInRollout;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The {@code rollout_device} table: every device's part in a rollout, its wave and its {@link
 * DeviceProgress}. All in the caller's transaction; state names are bound, never written into SQL.
 */
final class RolloutDeviceStore {
  /** The states in which a rollout holds a device: a newer rollout of the model takes it. */
  static final List<DeviceProgress> HELD =
      List.of(
          DeviceProgress.WAITING,
          DeviceProgress.ASSIGNED,
          DeviceProgress.ACTIVE,
          DeviceProgress.FAILED,
          DeviceProgress.ROLLED_BACK);

  private static final DeviceProgress SUPERSEDED = DeviceProgress.SUPERSEDED;

  /** The states of a device whose desired state the rollout changed. */
  private static final List<DeviceProgress> TOUCHED = HELD.subList(1, HELD.size());

  private static final List<RolloutState> WATCHED =
      List.of(RolloutState.RUNNING, RolloutState.PAUSED);
  private static final List<DeviceProgress> GONE =
      Arrays.stream(DeviceProgress.values()).filter(DeviceProgress::gone).toList();

  private static final String ADD =
      "INSERT INTO rollout_device (rollout_id, device_id, wave, state, updated_at)"
          + " VALUES (?, ?, ?, ?, ?)";
  private static final String ADD_ARRAY =
      "INSERT INTO rollout_device (rollout_id, device_id, wave, state, updated_at)"
          + " SELECT ?, d, w, ?, ? FROM unnest(?::varchar[], ?::int[]) AS u (d, w) ORDER BY d";
  private static final String QUIET =
      "SELECT DISTINCT rd.device_id FROM rollout_device rd JOIN rollout r ON r.id = rd.rollout_id"
          + " WHERE r.state = ? AND rd.state = ? AND rd.assigned_at < ?"
          + " ORDER BY rd.device_id LIMIT ";
  private static final String PROGRESS =
      "SELECT rd.device_id, rd.wave, rd.state, rd.previous_version, rd.superseded_by, rd.reason,"
          + " rd.updated_at, d.reported, r.model, r.version, rd.prefetched_at, d.online, d.last_seen"
          + " FROM rollout_device rd"
          + " JOIN device d ON d.id = rd.device_id JOIN rollout r ON r.id = rd.rollout_id"
          + " WHERE rd.rollout_id = ?";
  private static final String PROGRESS_ORDER = " ORDER BY rd.wave, rd.device_id LIMIT ? OFFSET ?";
  private static final String COUNTS =
      "SELECT wave, state, COUNT(*) FROM rollout_device WHERE rollout_id = ? GROUP BY wave, state";
  private static final String OFFLINE =
      "SELECT rd.wave, COUNT(*) FROM rollout_device rd JOIN device d ON d.id = rd.device_id"
          + " WHERE rd.rollout_id = ? AND rd.state = 'ASSIGNED' AND NOT d.online GROUP BY rd.wave";
  private static final String PREFETCHED =
      "SELECT wave, COUNT(*) FROM rollout_device WHERE rollout_id = ? AND prefetched_at IS NOT NULL"
          + " GROUP BY wave";
  private static final String SET_STATE =
      "UPDATE rollout_device SET state = ?, reason = ?, updated_at = ?, report_rev = NULL"
          + " WHERE rollout_id = ? AND device_id = ?";
  private static final String OUTCOME =
      "UPDATE rollout_device SET state = ?, reason = ?, updated_at = ?, report_rev = ?"
          + " WHERE rollout_id = ? AND device_id = ? AND state = ?";
  private static final String OUTCOME_ARRAY =
      "UPDATE rollout_device SET state = u.s, reason = u.w, updated_at = ?, report_rev = u.r"
          + " FROM unnest(?::varchar[], ?::varchar[], ?::varchar[], ?::bigint[], ?::varchar[])"
          + " AS u (d, s, w, r, f) WHERE rollout_id = ? AND device_id = u.d AND state = u.f";
  private static final String READ =
      "UPDATE rollout_device SET report_rev = ? WHERE rollout_id = ? AND device_id = ?";
  private static final String READ_ARRAY =
      "UPDATE rollout_device SET report_rev = u.r FROM unnest(?::varchar[], ?::bigint[]) AS u (d, r)"
          + " WHERE rollout_id = ? AND device_id = u.d";
  private static final String LOST_TO =
      "UPDATE rollout_device SET state = ?, reason = NULL, superseded_by = ?, updated_at = ?"
          + " WHERE rollout_id = ? AND device_id = ?";
  private static final String SUPERSEDE =
      "UPDATE rollout_device SET state = ?, superseded_by = ?, updated_at = ?"
          + " WHERE device_id = ? AND rollout_id <> ? AND state IN "
          + in(HELD.size())
          + " AND rollout_id IN (SELECT id FROM rollout WHERE model = ? AND created_at <= ?)";
  private static final String SUPERSEDE_ARRAY =
      "UPDATE rollout_device SET state = ?, superseded_by = ?, updated_at = ?"
          + " WHERE device_id = ANY (?::varchar[]) AND rollout_id <> ? AND state IN "
          + in(HELD.size())
          + " AND rollout_id IN (SELECT id FROM rollout WHERE model = ? AND created_at <= ?)";
  private static final String ASSIGNED_ARRAY =
      "UPDATE rollout_device SET state = ?, previous_version = u.v, previous_rollout = u.r,"
          + " desired_sequence = u.s, assigned_at = ?, updated_at = ?, reason = NULL,"
          + " report_rev = NULL FROM unnest(?::varchar[], ?::varchar[], ?::varchar[], ?::bigint[]) AS u (d, v, r, s)"
          + " WHERE rollout_id = ? AND device_id = u.d";
  private static final String ASSIGNED =
      "UPDATE rollout_device SET state = ?, previous_version = ?, previous_rollout = ?,"
          + " desired_sequence = ?, assigned_at = ?, updated_at = ?, reason = NULL,"
          + " report_rev = NULL WHERE rollout_id = ? AND device_id = ?";
  private static final String TOUCHED_SQL =
      "SELECT rd.device_id, rd.previous_version, rd.previous_rollout FROM rollout_device rd"
          + " JOIN assignment a ON a.device_id = rd.device_id AND a.model = ?"
          + " AND a.rollout_id = rd.rollout_id WHERE rd.rollout_id = ? AND rd.state IN "
          + in(TOUCHED.size())
          + " ORDER BY rd.device_id";
  private static final String REPORTS =
      "SELECT rd.device_id, rd.state, rd.desired_sequence, d.reported, d.reported_rev"
          + " FROM rollout_device rd JOIN device d ON d.id = rd.device_id WHERE rd.rollout_id = ?"
          + " AND (rd.state = ? OR (rd.state = ? AND rd.wave = ?)) AND d.reported IS NOT NULL"
          + " AND (rd.report_rev IS NULL OR rd.report_rev <> d.reported_rev)";
  private static final String PREFETCH_WAITING =
      "SELECT device_id FROM rollout_device WHERE rollout_id = ? AND state = ? AND prefetch_sent = ?"
          + " ORDER BY wave, device_id LIMIT ";
  private static final String PREFETCH_SENT =
      "UPDATE rollout_device SET prefetch_sent = ? WHERE rollout_id = ? AND device_id IN ";
  private static final String GATED =
      "SELECT id, model FROM rollout WHERE gated = TRUE AND state IN " + in(WATCHED.size());

  private RolloutDeviceStore() {}

  /**
   * A device's latest report, beside what the rollout knows of it.
   *
   * @param device the device
   * @param state where it stands in the rollout
   * @param sequence the desired state that carried the release to it
   * @param reported its latest reported state's JSON
   * @param revision how many reports the device had sent when it sent this one
   */
  record Report(
      String device, DeviceProgress state, long sequence, String reported, long revision) {
    static Report read(ResultSet row) throws SQLException {
      return new Report(
          row.getString(1),
          DeviceProgress.valueOf(row.getString(2)),
          row.getLong(3),
          row.getString(4),
          row.getLong(5));
    }
  }

  /**
   * What a device was assigned before a rollout took it.
   *
   * @param device the device
   * @param before its assignment before (both fields null: nothing, or this rollout's own)
   * @param sequence the desired state that carries the new assignment
   */
  record Assigned(String device, Assignment before, long sequence) {
    /** The parameters of {@link #ASSIGNED}, in order. */
    List<Object> parameters(String rolloutId, Instant now) {
      return Arrays.asList(
          DeviceProgress.ASSIGNED,
          before.version(),
          before.rolloutId(),
          sequence,
          now,
          now,
          rolloutId,
          device);
    }
  }

  /**
   * Adds devices to a rollout as WAITING, each in its wave (on PostgreSQL in one statement), in the
   * order of their ids: each row's foreign key locks its device's row, and the ingest of reported
   * states locks them in that order too (in any other order the two deadlock, and the rollout's
   * creation failed with a 503).
   *
   * @param c the transaction
   * @param rolloutId the rollout
   * @param waves each device's wave, from 0
   * @param now the time
   */
  static void add(Connection c, String rolloutId, Map<String, Integer> waves, Instant now)
      throws SQLException {
    SortedMap<String, Integer> sorted = new TreeMap<>(waves);
    if (Jdbc.isPostgres(c)) {
      String[] ids = sorted.keySet().toArray(String[]::new);
      Integer[] each = sorted.values().toArray(Integer[]::new);
      Jdbc.update(
          c,
          ADD_ARRAY,
          rolloutId,
          DeviceProgress.WAITING,
          now,
          ids,
          c.createArrayOf("integer", each));
      return;
    }
    List<List<Object>> rows = new ArrayList<>();
    sorted.forEach(
        (device, wave) -> rows.add(List.of(rolloutId, device, wave, DeviceProgress.WAITING, now)));
    Jdbc.batch(c, ADD, rows);
  }

  /** The devices of a rollout in some states, in waves up to {@code maxWave}. */
  static List<String> devices(
      Connection c, String rolloutId, int maxWave, Collection<DeviceProgress> states)
      throws SQLException {
    String sql =
        "SELECT device_id FROM rollout_device WHERE rollout_id = ? AND wave <= ? AND state IN "
            + in(states.size())
            + " ORDER BY wave, device_id";
    return Jdbc.query(c, sql, row -> row.getString(1), rolloutId, maxWave, states);
  }

  /**
   * At most {@code limit} WAITING devices of a rollout in waves up to {@code maxWave}, in order.
   */
  static List<String> waiting(Connection c, String rolloutId, int maxWave, int limit)
      throws SQLException {
    String sql =
        "SELECT device_id FROM rollout_device WHERE rollout_id = ? AND wave <= ? AND state = ?"
            + " ORDER BY wave, device_id LIMIT "
            + limit;
    return Jdbc.query(c, sql, row -> row.getString(1), rolloutId, maxWave, DeviceProgress.WAITING);
  }

  /**
   * At most {@code limit} WAITING devices of a rollout whose desired state carries its prefetch
   * ({@code sent}) or does not, in order.
   */
  static List<String> prefetchWaiting(Connection c, String rolloutId, boolean sent, int limit)
      throws SQLException {
    return Jdbc.query(
        c,
        PREFETCH_WAITING + limit,
        row -> row.getString(1),
        rolloutId,
        DeviceProgress.WAITING,
        sent);
  }

  /** Records that the desired states of some devices of a rollout carry its prefetch, or not. */
  static void prefetchSent(Connection c, String rolloutId, List<String> devices, boolean sent)
      throws SQLException {
    if (!devices.isEmpty()) {
      Jdbc.update(c, PREFETCH_SENT + in(devices.size()), sent, rolloutId, devices);
    }
  }

  /** Every device of a rollout, in any state. */
  static List<String> all(Connection c, String rolloutId) throws SQLException {
    return devices(c, rolloutId, Integer.MAX_VALUE, List.of(DeviceProgress.values()));
  }

  /** At most {@code limit} devices of running rollouts ASSIGNED before a time, no outcome yet. */
  static List<String> quiet(Connection c, Instant before, int limit) throws SQLException {
    return Jdbc.query(
        c,
        QUIET + limit,
        row -> row.getString(1),
        RolloutState.RUNNING,
        DeviceProgress.ASSIGNED,
        before);
  }

  /** A page of a rollout's devices, by wave and id. */
  static List<DeviceInRollout> progress(Connection c, String rolloutId, DevicePage page)
      throws SQLException {
    List<Object> params = new ArrayList<>(List.of(rolloutId));
    String sql = PROGRESS;
    if (page.state() != null) {
      sql += " AND rd.state = ?";
      params.add(page.state());
    }
    params.addAll(List.of(page.size(), page.from()));
    return Jdbc.query(c, sql + PROGRESS_ORDER, RolloutDeviceStore::device, params.toArray());
  }

  /** Devices by state, per wave (index = wave from 0). */
  static List<Map<DeviceProgress, Integer>> counts(Connection c, String rolloutId, int waves)
      throws SQLException {
    List<Map<DeviceProgress, Integer>> counts = new ArrayList<>();
    grow(counts, waves);
    for (Count count : Jdbc.query(c, COUNTS, Count::read, rolloutId)) {
      grow(counts, count.wave() + 1);
      counts.get(count.wave()).put(count.state(), count.devices());
    }
    return counts;
  }

  /**
   * How many ASSIGNED devices of each wave are offline now (index = wave from 0): they hold their
   * wave until they reconnect.
   *
   * @param c the transaction
   * @param rolloutId the rollout
   * @param waves how many waves it has
   * @return the counts, 0 for a wave with none
   */
  static int[] offline(Connection c, String rolloutId, int waves) throws SQLException {
    return perWave(c, OFFLINE, rolloutId, waves);
  }

  /**
   * How many devices of each wave reported the release prefetched (index = wave from 0).
   *
   * @param c the transaction
   * @param rolloutId the rollout
   * @param waves how many waves it has
   * @return the counts, 0 for a wave with none
   */
  static int[] prefetched(Connection c, String rolloutId, int waves) throws SQLException {
    return perWave(c, PREFETCHED, rolloutId, waves);
  }

  /** A count per wave from a query of (wave, count) rows. */
  private static int[] perWave(Connection c, String sql, String rolloutId, int waves)
      throws SQLException {
    int[] counts = new int[waves];
    for (int[] row : Jdbc.query(c, sql, r -> new int[] {r.getInt(1), r.getInt(2)}, rolloutId)) {
      if (row[0] < waves) {
        counts[row[0]] = row[1];
      }
    }
    return counts;
  }

  /** Moves one device of a rollout to another state, with the device's reason or null. */
  static void setState(
      Connection c,
      String rolloutId,
      String device,
      DeviceProgress state,
      String reason,
      Instant now)
      throws SQLException {
    Jdbc.update(c, SET_STATE, state, reason, now, rolloutId, device);
  }

  /**
   * A report that moves its device: to this state, for this reason.
   *
   * @param report the report
   * @param state the device's state now
   * @param reason why, for a failure
   */
  record Moved(Report report, DeviceProgress state, String reason) {}

  /**
   * Moves devices to the states their reports say, where another rollout did not move them
   * meanwhile, and marks those reports read (on PostgreSQL in one statement).
   */
  static void outcomes(Connection c, String rolloutId, List<Moved> moved, Instant now)
      throws SQLException {
    if (moved.isEmpty()) {
      return;
    }
    if (Jdbc.isPostgres(c)) {
      Jdbc.update(
          c,
          OUTCOME_ARRAY,
          now,
          moved.stream().map(m -> m.report().device()).toArray(String[]::new),
          moved.stream().map(m -> m.state().name()).toArray(String[]::new),
          moved.stream().map(Moved::reason).toArray(String[]::new),
          moved.stream().map(m -> m.report().revision()).toArray(Long[]::new),
          moved.stream().map(m -> m.report().state().name()).toArray(String[]::new),
          rolloutId);
      return;
    }
    List<List<Object>> rows = new ArrayList<>();
    for (Moved m : moved) {
      rows.add(
          Arrays.asList(
              m.state(),
              m.reason(),
              now,
              m.report().revision(),
              rolloutId,
              m.report().device(),
              m.report().state()));
    }
    Jdbc.batch(c, OUTCOME, rows);
  }

  /**
   * Marks reports read that left their devices where they were (on PostgreSQL in one statement).
   */
  static void read(Connection c, String rolloutId, List<Report> reports) throws SQLException {
    if (reports.isEmpty()) {
      return;
    }
    if (Jdbc.isPostgres(c)) {
      Jdbc.update(
          c,
          READ_ARRAY,
          reports.stream().map(Report::device).toArray(String[]::new),
          reports.stream().map(Report::revision).toArray(Long[]::new),
          rolloutId);
      return;
    }
    List<List<Object>> rows = new ArrayList<>();
    reports.forEach(report -> rows.add(List.of(report.revision(), rolloutId, report.device())));
    Jdbc.batch(c, READ, rows);
  }

  /** Marks a device that a newer rollout holds as SUPERSEDED by it. */
  static void lostTo(Connection c, String rolloutId, String device, String newer, Instant now)
      throws SQLException {
    Jdbc.update(c, LOST_TO, DeviceProgress.SUPERSEDED, newer, now, rolloutId, device);
  }

  /** Older rollouts of the same model that hold these devices lose them to this one. */
  static void supersede(Connection c, RolloutRow r, List<String> devices, Instant now)
      throws SQLException {
    if (Jdbc.isPostgres(c)) {
      String[] ids = devices.toArray(String[]::new);
      Jdbc.update(
          c, SUPERSEDE_ARRAY, SUPERSEDED, r.id(), now, ids, r.id(), HELD, r.model(), r.createdAt());
      return;
    }
    List<List<Object>> rows = new ArrayList<>();
    for (String device : devices) {
      rows.add(List.of(SUPERSEDED, r.id(), now, device, r.id(), HELD, r.model(), r.createdAt()));
    }
    Jdbc.batch(c, SUPERSEDE, rows);
  }

  /** Marks devices ASSIGNED by a rollout, with what they had before and the carrying sequence. */
  static void assigned(Connection c, String rolloutId, List<Assigned> devices, Instant now)
      throws SQLException {
    if (Jdbc.isPostgres(c)) {
      assignedPostgres(c, rolloutId, devices, now);
      return;
    }
    List<List<Object>> rows = new ArrayList<>();
    devices.forEach(a -> rows.add(a.parameters(rolloutId, now)));
    Jdbc.batch(c, ASSIGNED, rows);
  }

  /** The same in one statement on PostgreSQL, the devices' values as arrays. */
  private static void assignedPostgres(
      Connection c, String rolloutId, List<Assigned> devices, Instant now) throws SQLException {
    Jdbc.update(
        c,
        ASSIGNED_ARRAY,
        DeviceProgress.ASSIGNED,
        now,
        now,
        devices.stream().map(Assigned::device).toArray(String[]::new),
        devices.stream().map(a -> a.before().version()).toArray(String[]::new),
        devices.stream().map(a -> a.before().rolloutId()).toArray(String[]::new),
        devices.stream().map(Assigned::sequence).toArray(Long[]::new),
        rolloutId);
  }

  /** The devices a rollout touched that still hold its assignment, by id: what they had before. */
  static Map<String, Assignment> touched(Connection c, RolloutRow r) throws SQLException {
    Map<String, Assignment> previous = new LinkedHashMap<>();
    for (Previous row : Jdbc.query(c, TOUCHED_SQL, Previous::read, r.model(), r.id(), TOUCHED)) {
      previous.put(row.device(), row.before());
    }
    return previous;
  }

  /**
   * The reports of a rollout's devices that are ASSIGNED, or ACTIVE in the current wave, that the
   * rollout has not read since they came ({@link #outcome}, {@link #read}), or since the device was
   * last assigned or set: a fleet's unchanged reports are not read and decoded again on every step.
   */
  static List<Report> reports(Connection c, RolloutRow r) throws SQLException {
    return Jdbc.query(
        c, REPORTS, Report::read, r.id(), DeviceProgress.ASSIGNED, DeviceProgress.ACTIVE, r.wave());
  }

  /**
   * Which of these devices' telemetry counts toward which running or paused rollout with metric
   * gates: read in the transaction that counts the telemetry, so a rollout counts the first batch
   * after it starts, whichever hub replica takes it.
   *
   * @param c the transaction
   * @param devices the devices that sent telemetry
   * @return one entry per device and rollout
   * @throws SQLException on a database error
   */
  static List<RolloutMetrics.Watch> gated(Connection c, Collection<String> devices)
      throws SQLException {
    List<RolloutMetrics.Watch> watches = new ArrayList<>();
    if (devices.isEmpty()) {
      return watches;
    }
    // almost always none or a few: the rollout table answers before the devices are looked up
    for (Gated rollout : Jdbc.query(c, GATED, Gated::read, WATCHED)) {
      for (String device :
          Jdbc.query(
              c,
              "SELECT device_id FROM rollout_device WHERE rollout_id = ? AND state NOT IN "
                  + in(GONE.size())
                  + " AND device_id IN "
                  + in(devices.size()),
              row -> row.getString(1),
              rollout.id(),
              GONE,
              devices)) {
        watches.add(new RolloutMetrics.Watch(device, rollout.id(), rollout.model()));
      }
    }
    return watches;
  }

  private record Gated(String id, String model) {
    static Gated read(ResultSet row) throws SQLException {
      return new Gated(row.getString(1), row.getString(2));
    }
  }

  private record Previous(String device, Assignment before) {
    static Previous read(ResultSet row) throws SQLException {
      return new Previous(row.getString(1), new Assignment(row.getString(2), row.getString(3)));
    }
  }

  private record Count(int wave, DeviceProgress state, int devices) {
    static Count read(ResultSet row) throws SQLException {
      return new Count(row.getInt(1), DeviceProgress.valueOf(row.getString(2)), row.getInt(3));
    }
  }

  private static void grow(List<Map<DeviceProgress, Integer>> counts, int size) {
    while (counts.size() < size) {
      counts.add(new EnumMap<>(DeviceProgress.class));
    }
  }

  private static DeviceInRollout device(ResultSet row) throws SQLException {
    DeviceProgress state = DeviceProgress.valueOf(row.getString(3));
    Optional<JsonNode> reported = ReportedModels.entry(row.getString(8), row.getString(9));
    String version = row.getString(10);
    // an assigned device that retries says why in its report
    String reason =
        state == DeviceProgress.ASSIGNED
            ? ReportedModels.waiting(reported, version)
            : row.getString(6);
    return new DeviceInRollout(
        row.getString(1),
        row.getInt(2) + 1,
        state.name(),
        row.getString(4),
        row.getString(5),
        reason,
        Jdbc.time(row, 7),
        ReportedModels.variant(reported, version),
        Jdbc.time(row, 11),
        row.getBoolean(12),
        Jdbc.time(row, 13));
  }
}
