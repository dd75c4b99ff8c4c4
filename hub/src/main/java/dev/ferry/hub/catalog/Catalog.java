package dev.ferry.hub.catalog;

import dev.ferry.hub.api.ApiException;
import dev.ferry.hub.api.ErrorCode;
import dev.ferry.hub.db.Database;
import dev.ferry.hub.db.Jdbc;
import dev.ferry.protocol.api.ModelDetail;
import dev.ferry.protocol.api.ModelSummary;
import dev.ferry.protocol.json.Fields;
import dev.ferry.protocol.json.JsonCodec;
import dev.ferry.protocol.signing.Envelope;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** Models and their releases, in the hub's database. */
@ApplicationScoped
public class Catalog {
  private static final String RELEASE_COLUMNS =
      "model, version, release_seq, repository, manifest_digest, size_bytes, serving, statement,"
          + " description, license, created_by, created_at";
  private static final String SELECTED = RELEASE_COLUMNS + ", " + ReleaseRows.REVOCATION_COLUMNS;

  /** Signs the statement of a release once its sequence is known. */
  @FunctionalInterface
  public interface Signing {
    /**
     * Signs.
     *
     * @param releaseSeq the release's sequence
     * @return the release statement envelope
     */
    Envelope sign(long releaseSeq);
  }

  /** The exact statement payload of a release once its sequence is known. */
  @FunctionalInterface
  public interface Statement {
    /**
     * Encodes the statement.
     *
     * @param releaseSeq the release's sequence
     * @return the payload to sign
     */
    byte[] payload(long releaseSeq);
  }

  private final JsonCodec codec = new JsonCodec();

  @Inject Database db;

  /**
   * Records a release waiting for its signature, in the caller's transaction: takes the model's
   * next release sequence under a row lock and keeps the statement's payload and the manifest until
   * {@link PendingReleases#sign} publishes it.
   *
   * @param c the transaction
   * @param draft the release without sequence and statement
   * @param statement the statement's payload for the sequence
   * @param manifest the model manifest, tagged once the release is signed
   * @return the release, {@link ReleaseState#PENDING_SIGNATURE}
   */
  public Release recordPending(Connection c, Release draft, Statement statement, byte[] manifest)
      throws SQLException {
    ensureModel(c, draft.name(), draft.createdAt());
    if (release(c, draft.name(), draft.version()).isPresent()) {
      throw conflict(draft);
    }
    long seq = nextReleaseSeq(c, draft.name());
    Release release = ReleaseRows.withSeq(draft, seq, null);
    insert(c, release);
    Jdbc.update(
        c,
        "UPDATE model_release SET state = ?, pending_statement = ?, pending_manifest = ?"
            + " WHERE model = ? AND version = ?",
        ReleaseState.PENDING_SIGNATURE.name(),
        utf8(statement.payload(seq)),
        utf8(manifest),
        draft.name(),
        draft.version());
    return release(c, draft.name(), draft.version()).orElseThrow();
  }

  /**
   * Releases a published version again under the model's next release sequence, in the caller's
   * transaction: a device refuses a release below the one it installed, so sending a device back to
   * older bytes (a rollback, or a rollout of an older version) takes a new release pointing at
   * them. Nothing changes when the version is the model's latest release already.
   *
   * @param c the transaction
   * @param model the model
   * @param version the version to release again
   * @param signing signs the statement for the new sequence
   * @return the release as it stands now
   */
  public Release reissue(Connection c, String model, String version, Signing signing)
      throws SQLException {
    Release release =
        release(c, model, version)
            .orElseThrow(
                () ->
                    new ApiException(
                        ErrorCode.NOT_FOUND,
                        "model " + Fields.show(model) + " has no version " + Fields.show(version)));
    long seq = nextReleaseSeq(c, model);
    if (release.releaseSeq() == seq - 1) {
      // the latest already; give the sequence back (the row lock is held until the commit)
      setLastReleaseSeq(c, model, seq - 1);
      return release;
    }
    Envelope statement = signing.sign(seq);
    try (PreparedStatement update =
        c.prepareStatement(
            "UPDATE model_release SET release_seq = ?, statement = ? WHERE model = ? AND version ="
                + " ?")) {
      update.setLong(1, seq);
      update.setString(2, json(statement));
      update.setString(3, model);
      update.setString(4, version);
      update.executeUpdate();
    }
    return ReleaseRows.withSeq(release, seq, statement);
  }

  /**
   * Whether a version exists.
   *
   * @param model the model name
   * @param version the version
   * @return true if it was published
   */
  public boolean exists(String model, String version) {
    return release(model, version).isPresent();
  }

  /**
   * One release.
   *
   * @param model the model name
   * @param version the version
   * @return the release, if published
   */
  public Optional<Release> release(String model, String version) {
    return db.transaction(c -> release(c, model, version));
  }

  /** Every model, by name. */
  public List<ModelSummary> models() {
    return db.transaction(
        c -> {
          List<ModelSummary> models = new ArrayList<>();
          try (PreparedStatement query =
                  c.prepareStatement(
                      "SELECT m.name, m.created_at, m.last_release_seq,"
                          + " (SELECT COUNT(*) FROM model_release r WHERE r.model = m.name),"
                          + " (SELECT r.version FROM model_release r WHERE r.model = m.name AND"
                          + " r.release_seq = m.last_release_seq)"
                          + " FROM model m WHERE m.last_release_seq > 0 ORDER BY m.name");
              ResultSet row = query.executeQuery()) {
            while (row.next()) {
              models.add(
                  new ModelSummary(
                      row.getString(1),
                      row.getInt(4),
                      row.getString(5),
                      row.getLong(3),
                      row.getTimestamp(2).toInstant()));
            }
          }
          return models;
        });
  }

  /**
   * A model with its releases.
   *
   * @param name the model name
   * @return the model, if it has releases
   */
  public Optional<ModelDetail> model(String name) {
    return db.transaction(
        c -> {
          List<Release> releases = new ArrayList<>();
          try (PreparedStatement query =
              c.prepareStatement(
                  "SELECT "
                      + SELECTED
                      + " FROM model_release WHERE model = ? ORDER BY release_seq DESC")) {
            query.setString(1, name);
            try (ResultSet row = query.executeQuery()) {
              while (row.next()) {
                releases.add(ReleaseRows.read(row));
              }
            }
          }
          return releases.isEmpty()
              ? Optional.empty()
              : Optional.of(new ModelDetail(name, releases.stream().map(Release::toApi).toList()));
        });
  }

  /**
   * One release, in the caller's transaction.
   *
   * @param c the transaction
   * @param model the model name
   * @param version the version
   * @return the release, if published
   */
  public Optional<Release> release(Connection c, String model, String version) throws SQLException {
    try (PreparedStatement query =
        c.prepareStatement(
            "SELECT " + SELECTED + " FROM model_release WHERE model = ? AND version = ?")) {
      query.setString(1, model);
      query.setString(2, version);
      try (ResultSet row = query.executeQuery()) {
        return row.next() ? Optional.of(ReleaseRows.read(row)) : Optional.empty();
      }
    }
  }

  /**
   * A model's releases, revoked ones and those waiting for their statement included, newest first.
   *
   * @param model the model name
   * @return the releases, by creation time then release sequence, descending
   */
  public List<Release> releases(String model) {
    return db.transaction(
        c ->
            Jdbc.query(
                c,
                "SELECT "
                    + SELECTED
                    + " FROM model_release WHERE model = ? ORDER BY created_at DESC, release_seq DESC",
                ReleaseRows::read,
                model));
  }

  /**
   * Every published release not revoked, by model and version: what devices may be assigned.
   *
   * @param c the transaction
   * @return the releases
   */
  public List<Release> live(Connection c) throws SQLException {
    return Jdbc.query(
        c,
        "SELECT "
            + SELECTED
            + " FROM model_release WHERE state = ? AND revoked_at IS NULL ORDER BY model, version",
        ReleaseRows::read,
        ReleaseState.PUBLISHED);
  }

  /**
   * Replaces a published release's signed statement by the same payload signed again (after a
   * rotation of the release key), in the caller's transaction; its sequence and all else stay.
   *
   * @param c the transaction
   * @param release the release as read
   * @param statement its statement's payload, byte for byte, signed again
   * @return the release with it
   */
  public Release replaceStatement(Connection c, Release release, Envelope statement)
      throws SQLException {
    if (!Arrays.equals(release.statement().payloadBytes(), statement.payloadBytes())) {
      throw new IllegalArgumentException(
          "the statement of " + release.name() + "@" + release.version() + " changed");
    }
    Jdbc.update(
        c,
        "UPDATE model_release SET statement = ? WHERE model = ? AND version = ?",
        json(statement),
        release.name(),
        release.version());
    return ReleaseRows.signed(release, statement);
  }

  private static void ensureModel(Connection c, String name, Instant now) throws SQLException {
    // ON CONFLICT waits for a concurrent first publish instead of failing the transaction
    try (PreparedStatement insert =
        c.prepareStatement(
            "INSERT INTO model (name, created_at, last_release_seq) VALUES (?, ?, 0)"
                + " ON CONFLICT DO NOTHING")) {
      insert.setString(1, name);
      insert.setTimestamp(2, Timestamp.from(now));
      insert.executeUpdate();
    }
  }

  private static long nextReleaseSeq(Connection c, String name) throws SQLException {
    long last;
    try (PreparedStatement lock =
        c.prepareStatement("SELECT last_release_seq FROM model WHERE name = ? FOR UPDATE")) {
      lock.setString(1, name);
      try (ResultSet row = lock.executeQuery()) {
        row.next();
        last = row.getLong(1);
      }
    }
    setLastReleaseSeq(c, name, last + 1);
    return last + 1;
  }

  private static void setLastReleaseSeq(Connection c, String name, long seq) throws SQLException {
    try (PreparedStatement update =
        c.prepareStatement("UPDATE model SET last_release_seq = ? WHERE name = ?")) {
      update.setLong(1, seq);
      update.setString(2, name);
      update.executeUpdate();
    }
  }

  private void insert(Connection c, Release r) throws SQLException {
    try (PreparedStatement insert =
        c.prepareStatement(
            "INSERT INTO model_release ("
                + RELEASE_COLUMNS
                + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
      insert.setString(1, r.name());
      insert.setString(2, r.version());
      insert.setLong(3, r.releaseSeq());
      insert.setString(4, r.repository());
      insert.setString(5, r.manifestDigest().toString());
      insert.setLong(6, r.size());
      insert.setString(7, json(r.serving()));
      insert.setString(8, r.statement() == null ? null : json(r.statement()));
      insert.setString(9, r.description());
      insert.setString(10, r.license());
      insert.setString(11, r.createdBy());
      insert.setTimestamp(12, Timestamp.from(r.createdAt()));
      insert.executeUpdate();
    } catch (SQLException e) {
      if ("23505".equals(e.getSQLState())) {
        throw conflict(r);
      }
      throw e;
    }
  }

  private static String utf8(byte[] bytes) {
    return new String(bytes, StandardCharsets.UTF_8);
  }

  private String json(Object value) {
    return new String(codec.encode(value), StandardCharsets.UTF_8);
  }

  private static ApiException conflict(Release r) {
    return new ApiException(
        ErrorCode.CONFLICT,
        "model " + Fields.show(r.name()) + " already has version " + Fields.show(r.version()));
  }
}
