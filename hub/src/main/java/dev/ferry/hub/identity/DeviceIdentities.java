package dev.ferry.hub.identity;

import dev.ferry.hub.db.Jdbc;
import jakarta.enterprise.context.ApplicationScoped;
import java.math.BigInteger;
import java.security.cert.X509Certificate;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The SQL of device identities and the certificates issued to them. */
@ApplicationScoped
public class DeviceIdentities {
  private static final String COLUMNS =
      "device_id, state, token_id, public_key_sha256, password_sha256, enrolled_at, accepted_at,"
          + " revoked_at, cert_serial, cert_not_after";

  /** One device's identity, locked for update. */
  Optional<Identity> lock(Connection c, String deviceId) throws SQLException {
    return Jdbc.query(
            c,
            "SELECT " + COLUMNS + " FROM device_identity WHERE device_id = ? FOR UPDATE",
            DeviceIdentities::read,
            deviceId)
        .stream()
        .findFirst();
  }

  /**
   * Whether a device's credentials went unused: the device was never seen, and its certificate was
   * issued after {@code since}.
   */
  boolean unusedSince(Connection c, Identity identity, Instant since) throws SQLException {
    return !Jdbc.query(
            c,
            "SELECT 1 FROM device_certificate dc JOIN device d ON d.id = dc.device_id"
                + " WHERE dc.serial = ? AND dc.issued_at > ? AND d.last_seen IS NULL",
            row -> 1,
            identity.certificateSerial(),
            since)
        .isEmpty();
  }

  /** One device's identity, unlocked. */
  Optional<Identity> find(Connection c, String deviceId) throws SQLException {
    return Jdbc.query(
            c,
            "SELECT " + COLUMNS + " FROM device_identity WHERE device_id = ?",
            DeviceIdentities::read,
            deviceId)
        .stream()
        .findFirst();
  }

  /** Every identity. */
  List<Identity> all(Connection c) throws SQLException {
    return Jdbc.query(c, "SELECT " + COLUMNS + " FROM device_identity", DeviceIdentities::read);
  }

  /** Records a device's first request. */
  void insert(Connection c, Identity identity) throws SQLException {
    Jdbc.update(
        c,
        "INSERT INTO device_identity (device_id, state, token_id, public_key_sha256, enrolled_at,"
            + " accepted_at) VALUES (?, ?, ?, ?, ?, ?)",
        identity.deviceId(),
        identity.state(),
        identity.tokenId(),
        identity.publicKeyDigest(),
        identity.enrolledAt(),
        identity.acceptedAt());
  }

  /** Moves a PENDING device to ACCEPTED; false if it was not PENDING. */
  boolean accept(Connection c, String deviceId, Instant now) throws SQLException {
    return Jdbc.update(
            c,
            "UPDATE device_identity SET state = ?, accepted_at = ? WHERE device_id = ? AND state = ?",
            IdentityState.ACCEPTED,
            now,
            deviceId,
            IdentityState.PENDING)
        == 1;
  }

  /** Revokes a device and every certificate it holds; a revoked one keeps its first revocation. */
  void revoke(Connection c, String deviceId, Instant now) throws SQLException {
    Jdbc.update(
        c,
        "UPDATE device_identity SET state = ?, revoked_at = ?, password_sha256 = NULL"
            + " WHERE device_id = ? AND state <> ?",
        IdentityState.REVOKED,
        now,
        deviceId,
        IdentityState.REVOKED);
    Jdbc.update(
        c,
        "UPDATE device_certificate SET revoked_at = ? WHERE device_id = ? AND revoked_at IS NULL",
        now,
        deviceId);
  }

  /** Sets the broker password (its hash) once credentials are handed out. */
  void setPassword(Connection c, String deviceId, String passwordHash) throws SQLException {
    Jdbc.update(
        c,
        "UPDATE device_identity SET password_sha256 = ? WHERE device_id = ?",
        passwordHash,
        deviceId);
  }

  /** Records a certificate issued to a device as its current one. */
  void recordCertificate(Connection c, String deviceId, X509Certificate certificate, Instant now)
      throws SQLException {
    String serial = certificate.getSerialNumber().toString(16);
    Instant notAfter = certificate.getNotAfter().toInstant();
    Jdbc.update(
        c,
        "INSERT INTO device_certificate (serial, device_id, issued_at, not_after)"
            + " VALUES (?, ?, ?, ?)",
        serial,
        deviceId,
        now,
        notAfter);
    Jdbc.update(
        c,
        "UPDATE device_identity SET cert_serial = ?, cert_not_after = ? WHERE device_id = ?",
        serial,
        notAfter,
        deviceId);
  }

  /** Revoked certificates not yet expired, with when each was revoked: the CRL's entries. */
  Map<BigInteger, Instant> revokedCertificates(Connection c, Instant now) throws SQLException {
    Map<BigInteger, Instant> revoked = new LinkedHashMap<>();
    Jdbc.query(
            c,
            "SELECT serial, revoked_at FROM device_certificate"
                + " WHERE revoked_at IS NOT NULL AND not_after > ? ORDER BY serial",
            row -> Map.entry(new BigInteger(row.getString(1), 16), Jdbc.time(row, 2)),
            now)
        .forEach(entry -> revoked.put(entry.getKey(), entry.getValue()));
    return revoked;
  }

  private static Identity read(ResultSet row) throws SQLException {
    return new Identity(
        row.getString(1),
        IdentityState.valueOf(row.getString(2)),
        row.getString(3),
        row.getString(4),
        row.getString(5),
        Jdbc.time(row, 6),
        Jdbc.time(row, 7),
        Jdbc.time(row, 8),
        row.getString(9),
        Jdbc.time(row, 10));
  }
}
