package dev.ferry.hub.identity;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ferry.hub.api.ApiException;
import dev.ferry.hub.api.ErrorCode;
import dev.ferry.hub.config.HubConfig;
import dev.ferry.hub.db.Database;
import dev.ferry.hub.db.Jdbc;
import dev.ferry.protocol.api.DeviceCredentials;
import dev.ferry.protocol.api.EnrollRequest;
import dev.ferry.protocol.device.DeviceIds;
import dev.ferry.protocol.json.FieldException;
import dev.ferry.protocol.json.Fields;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * Enrollment, acceptance, renewal and revocation of device identities: the rules of the {@code
 * /api/v1/enroll} flow. A token use is taken once per device, at its first request; a PENDING
 * device asks again with the same token and key until an admin accepts it.
 */
@ApplicationScoped
public class Enrollments {
  private static final Logger LOG = Logger.getLogger(Enrollments.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String PASSWORD_PREFIX = "fdp_";
  private static final Duration REISSUE_WITHIN = Duration.ofHours(1);

  @Inject Database db;
  @Inject EnrollmentTokens tokens;
  @Inject DeviceIdentities identities;
  @Inject DeviceCa ca;
  @Inject IdentityCache cache;
  @Inject HubConfig config;
  @Inject Clock clock;
  @Inject Event<DeviceRevoked> revocations;

  /**
   * Enrolls a device, or tells it to wait.
   *
   * @param request the token, the device id and its CSR
   * @return ACCEPTED credentials (201), or PENDING (202)
   */
  public DeviceCredentials enroll(EnrollRequest request) {
    Fields.required(request, "body");
    String secret = Fields.text(request.token(), "token");
    String deviceId = checkedId(request.deviceId());
    CsrCheck.Checked csr = CsrCheck.check(request.csr(), deviceId);
    DeviceCredentials answer = db.transaction(c -> enroll(c, secret, deviceId, csr));
    cache.refresh(deviceId);
    return answer;
  }

  private static String checkedId(String deviceId) {
    DeviceIds.require(deviceId, "deviceId");
    if (deviceId.startsWith(TlsMaterial.HUB_IDENTITY)) {
      throw new FieldException(
          "deviceId",
          "must not start with '"
              + TlsMaterial.HUB_IDENTITY
              + "' (the hub's own identity), got "
              + Fields.show(deviceId));
    }
    return deviceId;
  }

  private DeviceCredentials enroll(
      Connection c, String secret, String deviceId, CsrCheck.Checked csr) throws SQLException {
    Instant now = clock.instant();
    EnrollmentTokens.Stored token =
        tokens
            .find(c, secret)
            .orElseThrow(
                () ->
                    new ApiException(
                        ErrorCode.UNAUTHENTICATED, "token is not a valid enrollment token"));
    var known = identities.lock(c, deviceId);
    Identity identity =
        known.isPresent()
            ? again(c, known.get(), token, csr, now)
            : first(c, token, deviceId, csr, now);
    DeviceCredentials answer =
        identity.state() == IdentityState.PENDING
            ? new DeviceCredentials(deviceId, IdentityState.PENDING.name(), null, null, null, null)
            : issue(c, deviceId, csr, now);
    // the use is taken last: its row lock, which every device enrolling with this token waits for,
    // is then held only until the commit, not while the certificate is signed and stored
    if (known.isEmpty() && !tokens.consume(c, token.id())) {
      throw noUsesLeft(); // nothing of this enrollment is kept
    }
    return answer;
  }

  private static ApiException noUsesLeft() {
    return new ApiException(ErrorCode.UNAUTHENTICATED, "token has no uses left");
  }

  private Identity first(
      Connection c,
      EnrollmentTokens.Stored token,
      String deviceId,
      CsrCheck.Checked csr,
      Instant now)
      throws SQLException {
    if (!token.expiresAt().isAfter(now)) {
      throw new ApiException(ErrorCode.UNAUTHENTICATED, "token expired at " + token.expiresAt());
    }
    if (token.deviceId() != null && !token.deviceId().equals(deviceId)) {
      throw new ApiException(
          ErrorCode.FORBIDDEN,
          "deviceId " + Fields.show(deviceId) + " is not the device this token enrolls");
    }
    if (token.usesLeft() <= 0) {
      throw noUsesLeft();
    }
    boolean auto = config.enrollment().policy() == HubConfig.Enrollment.Policy.AUTO;
    Identity identity =
        new Identity(
            deviceId,
            auto ? IdentityState.ACCEPTED : IdentityState.PENDING,
            token.id(),
            csr.keyDigest(),
            null,
            now,
            auto ? now : null,
            null,
            null,
            null);
    identities.insert(c, identity);
    createDevice(c, deviceId, token.labels());
    return identity;
  }

  /**
   * The device's enrollment asked again, with the token and key it enrolled with: still PENDING, or
   * issued but its answer never kept (lost on the way, or a power cut or a full disk while the
   * device wrote it). Credentials are issued again, a new certificate and password, only while they
   * went unused: the token is still valid, the device was never seen, and its credentials were
   * issued less than {@link #REISSUE_WITHIN} ago. A CSR carries no nonce, so whoever holds the
   * token and a copy of the device's CSR could ask too; these bounds leave that a device that never
   * came online, within the hour after its enrollment.
   */
  private Identity again(
      Connection c,
      Identity known,
      EnrollmentTokens.Stored token,
      CsrCheck.Checked csr,
      Instant now)
      throws SQLException {
    String id = Fields.show(known.deviceId());
    if (known.state() == IdentityState.REVOKED) {
      throw new ApiException(ErrorCode.CONFLICT, "deviceId " + id + " was revoked");
    }
    if (!known.tokenId().equals(token.id()) || !known.publicKeyDigest().equals(csr.keyDigest())) {
      throw new ApiException(
          ErrorCode.CONFLICT, "deviceId " + id + " is enrolled already, with another token or key");
    }
    if (!known.issued()) {
      return known;
    }
    if (!token.expiresAt().isAfter(now)
        || !identities.unusedSince(c, known, now.minus(REISSUE_WITHIN))) {
      throw new ApiException(
          ErrorCode.CONFLICT,
          "deviceId "
              + id
              + " has its credentials already; it renews over its identity (they are issued"
              + " again only to its token and key, within "
              + REISSUE_WITHIN.toMinutes()
              + " minutes of its enrollment, before the device was ever seen)");
    }
    LOG.warnf(
        "device %s asked to enroll again with its token %s and key: its unused credentials are"
            + " issued again (the answer to its enrollment never reached it, or was not kept)",
        known.deviceId(), token.id());
    return known;
  }

  private DeviceCredentials issue(Connection c, String deviceId, CsrCheck.Checked csr, Instant now)
      throws SQLException {
    X509Certificate certificate = ca.issueDevice(deviceId, csr.key());
    identities.recordCertificate(c, deviceId, certificate, now);
    String password = Secrets.generate(PASSWORD_PREFIX);
    identities.setPassword(c, deviceId, Secrets.hash(password.getBytes(StandardCharsets.UTF_8)));
    return credentials(deviceId, certificate, password);
  }

  private DeviceCredentials credentials(
      String deviceId, X509Certificate certificate, String password) {
    return new DeviceCredentials(
        deviceId,
        IdentityState.ACCEPTED.name(),
        Pem.write(certificate),
        Pem.write(ca.caCertificate()),
        password,
        certificate.getNotAfter().toInstant());
  }

  private static void createDevice(Connection c, String deviceId, Map<String, String> labels)
      throws SQLException {
    Jdbc.update(
        c,
        "INSERT INTO device (id, labels, online) VALUES (?, '{}', FALSE) ON CONFLICT DO NOTHING",
        deviceId);
    if (!labels.isEmpty()) {
      Jdbc.update(c, "UPDATE device SET hub_labels = ? WHERE id = ?", json(labels), deviceId);
    }
  }

  /**
   * Accepts a PENDING device; its next enrollment request gets its credentials.
   *
   * @param deviceId the device
   */
  public void accept(String deviceId) {
    db.transaction(
        c -> {
          Identity identity = existing(c, deviceId);
          if (!identities.accept(c, deviceId, clock.instant())) {
            throw new ApiException(
                ErrorCode.CONFLICT,
                "device " + Fields.show(deviceId) + " is " + identity.state() + ", not PENDING");
          }
          return null;
        });
    cache.refresh(deviceId);
  }

  /**
   * Revokes a device for good: its password stops working, its certificates go on the CRL, and the
   * embedded broker drops its session. Revoking it again changes nothing.
   *
   * @param deviceId the device
   */
  public void revoke(String deviceId) {
    db.transaction(
        c -> {
          existing(c, deviceId);
          identities.revoke(c, deviceId, clock.instant());
          return null;
        });
    cache.refresh();
    revocations.fire(new DeviceRevoked(deviceId));
  }

  /**
   * Issues a new certificate to an enrolled device that proved itself with its password.
   *
   * @param deviceId the device
   * @param password the password it presented
   * @param csrPem its request, a new key or the same
   * @return the new certificate, without a password
   */
  public DeviceCredentials renew(String deviceId, byte[] password, String csrPem) {
    X509Certificate certificate = db.transaction(c -> renew(c, deviceId, password, csrPem));
    cache.refresh(deviceId);
    return credentials(deviceId, certificate, null);
  }

  /** Checks the password against the stored hash (not the cache: another replica may revoke). */
  private X509Certificate renew(Connection c, String deviceId, byte[] password, String csrPem)
      throws SQLException {
    String hash = Secrets.hash(password);
    identities
        .lock(c, deviceId)
        .filter(i -> i.state() == IdentityState.ACCEPTED && Secrets.same(hash, i.passwordHash()))
        .orElseThrow(
            () ->
                new ApiException(
                    ErrorCode.UNAUTHENTICATED,
                    "device "
                        + Fields.show(deviceId)
                        + " did not authenticate: unknown, not accepted, or a wrong password"));
    CsrCheck.Checked csr = CsrCheck.check(csrPem, deviceId);
    X509Certificate certificate = ca.issueDevice(deviceId, csr.key());
    identities.recordCertificate(c, deviceId, certificate, clock.instant());
    return certificate;
  }

  /**
   * A device's identity.
   *
   * @param deviceId the device
   * @return its identity row
   */
  public Identity find(String deviceId) {
    return db.transaction(c -> existing(c, deviceId));
  }

  private Identity existing(Connection c, String deviceId) throws SQLException {
    return identities
        .lock(c, deviceId)
        .orElseThrow(
            () ->
                new ApiException(
                    ErrorCode.NOT_FOUND,
                    "device " + Fields.show(deviceId) + " never asked to enroll"));
  }

  private static String json(Map<String, String> labels) {
    try {
      return JSON.writeValueAsString(labels);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
