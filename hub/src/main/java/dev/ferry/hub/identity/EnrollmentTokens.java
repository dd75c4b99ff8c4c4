package dev.ferry.hub.identity;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ferry.hub.api.ApiException;
import dev.ferry.hub.api.ErrorCode;
import dev.ferry.hub.db.Database;
import dev.ferry.hub.db.Jdbc;
import dev.ferry.protocol.api.EnrollmentToken;
import dev.ferry.protocol.api.EnrollmentTokenRequest;
import dev.ferry.protocol.device.DeviceIds;
import dev.ferry.protocol.device.Labels;
import dev.ferry.protocol.json.FieldException;
import dev.ferry.protocol.json.Fields;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Enrollment tokens: created by release managers, stored as sha256 hashes, shown once; each lets a
 * number of devices (or one named device) enroll until it expires.
 */
@ApplicationScoped
public class EnrollmentTokens {
  static final String PREFIX = "fet_";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration MIN_LIFETIME = Duration.ofMinutes(1);
  private static final Duration MAX_LIFETIME = Duration.ofDays(365);
  private static final int MAX_USES = 100_000;
  private static final String COLUMNS =
      "id, device_id, labels, expires_at, uses_left, created_by, created_at";

  @Inject Database db;
  @Inject Clock clock;

  /**
   * A stored token, without its secret.
   *
   * @param id its id
   * @param deviceId the one device it enrolls, or null
   * @param labels hub labels for the devices it enrolls
   * @param expiresAt when it stops being accepted
   * @param usesLeft enrollments left
   * @param createdBy who made it
   * @param createdAt when
   */
  public record Stored(
      String id,
      String deviceId,
      Map<String, String> labels,
      Instant expiresAt,
      int usesLeft,
      String createdBy,
      Instant createdAt) {
    EnrollmentToken toApi(String secret) {
      return new EnrollmentToken(
          id, secret, deviceId, labels, expiresAt, usesLeft, createdBy, createdAt);
    }
  }

  /**
   * Creates a token.
   *
   * @param request what it allows; null fields take their defaults
   * @param createdBy who asks
   * @return the token with its secret, the only time it is shown
   */
  public EnrollmentToken create(EnrollmentTokenRequest request, String createdBy) {
    Fields.required(request, "body");
    String deviceId =
        request.deviceId() == null ? null : DeviceIds.require(request.deviceId(), "deviceId");
    Map<String, String> labels =
        request.labels() == null ? Map.of() : Labels.check(request.labels(), "labels");
    Duration lifetime = lifetime(request.expiresIn());
    int uses = uses(request.uses());
    Instant now = clock.instant();
    Stored token =
        new Stored(
            UUID.randomUUID().toString(),
            deviceId,
            labels,
            now.plus(lifetime),
            uses,
            createdBy,
            now);
    String secret = Secrets.generate(PREFIX);
    db.transaction(c -> insert(c, token, Secrets.hash(secret)));
    return token.toApi(secret);
  }

  private static Duration lifetime(String expiresIn) {
    if (expiresIn == null) {
      return Duration.ofDays(1);
    }
    Duration lifetime;
    try {
      lifetime = Duration.parse(expiresIn);
    } catch (DateTimeParseException e) {
      throw new FieldException(
          "expiresIn",
          "must be an ISO-8601 duration like PT1H or P7D, got " + Fields.show(expiresIn));
    }
    if (lifetime.compareTo(MIN_LIFETIME) < 0 || lifetime.compareTo(MAX_LIFETIME) > 0) {
      throw new FieldException(
          "expiresIn", "must be between PT1M and P365D, got " + Fields.show(expiresIn));
    }
    return lifetime;
  }

  private static int uses(Integer uses) {
    if (uses == null) {
      return 1;
    }
    if (uses < 1 || uses > MAX_USES) {
      throw new FieldException("uses", "must be between 1 and " + MAX_USES + ", got " + uses);
    }
    return uses;
  }

  private static int insert(Connection c, Stored token, String hash) throws SQLException {
    return Jdbc.update(
        c,
        "INSERT INTO enrollment_token (id, token_sha256, device_id, labels, expires_at, uses_left,"
            + " created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        token.id(),
        hash,
        token.deviceId(),
        json(token.labels()),
        token.expiresAt(),
        token.usesLeft(),
        token.createdBy(),
        token.createdAt());
  }

  /** Every token, newest first, without secrets. */
  public List<EnrollmentToken> list() {
    return db
        .transaction(
            c ->
                Jdbc.query(
                    c,
                    "SELECT " + COLUMNS + " FROM enrollment_token ORDER BY created_at DESC, id",
                    EnrollmentTokens::read))
        .stream()
        .map(token -> token.toApi(null))
        .toList();
  }

  /**
   * Deletes a token; devices it enrolled stay enrolled.
   *
   * @param id its id
   */
  public void delete(String id) {
    int deleted =
        db.transaction(c -> Jdbc.update(c, "DELETE FROM enrollment_token WHERE id = ?", id));
    if (deleted == 0) {
      throw new ApiException(ErrorCode.NOT_FOUND, "no enrollment token " + Fields.show(id));
    }
  }

  /**
   * The token a secret names, in a transaction.
   *
   * @param c the transaction
   * @param secret the secret a device presents
   * @return the token, if the secret is one
   */
  Optional<Stored> find(Connection c, String secret) throws SQLException {
    return Jdbc.query(
            c,
            "SELECT " + COLUMNS + " FROM enrollment_token WHERE token_sha256 = ?",
            EnrollmentTokens::read,
            Secrets.hash(secret))
        .stream()
        .findFirst();
  }

  /**
   * Takes one use of a token, atomically: two devices racing for the last use cannot both have it.
   *
   * @param c the transaction
   * @param id the token's id
   * @return whether a use was left
   */
  boolean consume(Connection c, String id) throws SQLException {
    return Jdbc.update(
            c,
            "UPDATE enrollment_token SET uses_left = uses_left - 1 WHERE id = ? AND uses_left > 0",
            id)
        == 1;
  }

  private static Stored read(ResultSet row) throws SQLException {
    return new Stored(
        row.getString(1),
        row.getString(2),
        labels(row.getString(3)),
        Jdbc.time(row, 4),
        row.getInt(5),
        row.getString(6),
        Jdbc.time(row, 7));
  }

  private static Map<String, String> labels(String json) {
    try {
      return JSON.readValue(json, new TypeReference<>() {});
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
