package dev.ferry.hub.capture;

import dev.ferry.hub.api.ApiException;
import dev.ferry.hub.api.ErrorCode;
import dev.ferry.hub.catalog.Catalog;
import dev.ferry.hub.catalog.Release;
import dev.ferry.hub.db.Database;
import dev.ferry.hub.db.Jdbc;
import dev.ferry.protocol.capture.CapturePolicy;
import dev.ferry.protocol.json.JsonCodec;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

/**
 * The capture policies release managers set, per release version and per rollout, in the database
 * all replicas share; none means capture is off. A change re-signs the affected devices' desired
 * states at once: the policy only ever reaches a device inside one.
 */
@ApplicationScoped
public class CapturePolicies {
  private static final String OF_VERSION =
      "SELECT policy FROM capture_policy_version WHERE model = ? AND version = ?";
  private static final String OF_ROLLOUT =
      "SELECT policy FROM capture_policy_rollout WHERE rollout_id = ?";
  private static final String ROLLOUT = "SELECT model, version FROM rollout WHERE id = ?";

  private final JsonCodec codec = new JsonCodec();

  @Inject Database db;
  @Inject Catalog catalog;
  @Inject PolicyReissue reissue;

  /** The policy set on a scope. */
  public Optional<CapturePolicy> of(PolicyScope scope) {
    return db.transaction(c -> read(c, scope));
  }

  /**
   * The policy in force for devices a rollout assigned a version to, as set: the rollout's, else
   * the version's.
   */
  Optional<PolicyRecord> effective(Connection c, String rolloutId, String model, String version)
      throws SQLException {
    Optional<PolicyRecord> own =
        rolloutId == null
            ? Optional.empty()
            : stored(c, PolicyScope.rollout(rolloutId, model, version));
    return own.isPresent() ? own : stored(c, PolicyScope.version(model, version));
  }

  /**
   * Sets a scope's policy and re-signs its devices' desired states.
   *
   * @return how many devices got a new desired state
   */
  public int set(PolicyScope scope, CapturePolicy policy) {
    String json = new String(codec.encode(policy), StandardCharsets.UTF_8);
    db.transaction(c -> write(c, checked(c, scope), json));
    return reissue.reissue(scope);
  }

  /**
   * Switches a scope's capture off (a version's policy still applies to a rollout's devices) and
   * re-signs its devices' desired states.
   *
   * @return how many devices got a new desired state; -1 when no policy was set
   */
  public int clear(PolicyScope scope) {
    boolean had = db.transaction(c -> delete(c, scope) > 0);
    return had ? reissue.reissue(scope) : -1;
  }

  /** The scope of a rollout, named by id: its model and version. */
  public PolicyScope rolloutScope(String rolloutId) {
    List<PolicyScope> found =
        db.transaction(
            c ->
                Jdbc.query(
                    c,
                    ROLLOUT,
                    row -> PolicyScope.rollout(rolloutId, row.getString(1), row.getString(2)),
                    rolloutId));
    if (found.isEmpty()) {
      throw new ApiException(ErrorCode.NOT_FOUND, "no rollout '" + rolloutId + "'");
    }
    return found.get(0);
  }

  private PolicyScope checked(Connection c, PolicyScope scope) throws SQLException {
    Optional<Release> release = catalog.release(c, scope.model(), scope.version());
    String what = "model '" + scope.model() + "' version '" + scope.version() + "'";
    if (release.isEmpty()) {
      throw new ApiException(ErrorCode.NOT_FOUND, "no " + what);
    }
    if (release.get().serving().forbidsCapture()) {
      throw new ApiException(
          ErrorCode.CONFLICT, what + " forbids capture: its serving.json says captureForbidden");
    }
    return scope;
  }

  private static Optional<CapturePolicy> read(Connection c, PolicyScope scope) throws SQLException {
    return stored(c, scope).map(PolicyRecord::policy);
  }

  private static Optional<PolicyRecord> stored(Connection c, PolicyScope scope)
      throws SQLException {
    String sql = scope.isRollout() ? OF_ROLLOUT : OF_VERSION;
    return Jdbc.query(
            c, sql, row -> new PolicyRecord(scope.rolloutId(), row.getString(1)), scope.key())
        .stream()
        .findFirst();
  }

  private static int write(Connection c, PolicyScope scope, String json) throws SQLException {
    if (scope.isRollout()) {
      return upsert(c, "capture_policy_rollout", "rollout_id = ?", json, scope.rolloutId());
    }
    return upsert(
        c,
        "capture_policy_version",
        "model = ? AND version = ?",
        json,
        scope.model(),
        scope.version());
  }

  /** An update, else an insert: both databases speak these two, not one upsert. */
  private static int upsert(Connection c, String table, String where, String json, Object... key)
      throws SQLException {
    if (Jdbc.update(c, "UPDATE " + table + " SET policy = ? WHERE " + where, json, List.of(key))
        > 0) {
      return 1;
    }
    String columns = key.length == 1 ? "rollout_id" : "model, version";
    String values = key.length == 1 ? "?, ?" : "?, ?, ?";
    return Jdbc.update(
        c,
        "INSERT INTO "
            + table
            + " ("
            + columns
            + ", policy) VALUES ("
            + values
            + ")"
            + " ON CONFLICT DO NOTHING",
        List.of(key),
        json);
  }

  private static int delete(Connection c, PolicyScope scope) throws SQLException {
    return scope.isRollout()
        ? Jdbc.update(
            c, "DELETE FROM capture_policy_rollout WHERE rollout_id = ?", scope.rolloutId())
        : Jdbc.update(
            c,
            "DELETE FROM capture_policy_version WHERE model = ? AND version = ?",
            scope.model(),
            scope.version());
  }
}
