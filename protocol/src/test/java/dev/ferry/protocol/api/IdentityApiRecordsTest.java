package dev.ferry.protocol.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.ferry.protocol.testing.RecordContract;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Every record of the enrollment API: JSON round trip, unknown fields ignored, a wrong type named.
 */
class IdentityApiRecordsTest extends RecordContract {
  private static final Instant AT = Instant.parse("2026-05-01T10:00:00.123Z");

  static DeviceEnrollment enrollment() {
    return new DeviceEnrollment(
        "ACCEPTED", "et-1", AT, AT.plusSeconds(5), "0a1b", AT.plusSeconds(86400), null);
  }

  static EnrollmentToken token() {
    return new EnrollmentToken(
        "et-1", "fet_secret", null, Map.of("site", "berlin"), AT, 3, "alice", AT);
  }

  static DeviceCredentials credentials() {
    return new DeviceCredentials(
        "edge-01", "ACCEPTED", "-----BEGIN CERTIFICATE-----", "ca", "fdp_secret", AT);
  }

  static List<Case> cases() {
    return List.of(
        new Case(
            new EnrollmentTokenRequest("edge-01", Map.of("site", "berlin"), "P7D", 10),
            "uses",
            text("ten"),
            "EnrollmentTokenRequest: uses must be an integer, got the string 'ten'"),
        new Case(
            token(),
            "expiresAt",
            text("soon"),
            "EnrollmentToken: expiresAt must be an RFC 3339 timestamp, got 'soon'"),
        new Case(
            new EnrollRequest("fet_secret", "edge-01", "-----BEGIN CERTIFICATE REQUEST-----"),
            "csr",
            number(5),
            "EnrollRequest: csr must be a string, got 5"),
        new Case(
            new RenewRequest("-----BEGIN CERTIFICATE REQUEST-----"),
            "csr",
            array(),
            "RenewRequest: csr must be a string, got an array"),
        new Case(
            credentials(),
            "notAfter",
            text("never"),
            "DeviceCredentials: notAfter must be an RFC 3339 timestamp, got 'never'"),
        new Case(
            enrollment(), "state", number(1), "DeviceEnrollment: state must be a string, got 1"));
  }

  @Test
  void secrets_stayOutOfToString() {
    assertFalse(token().toString().contains("fet_secret"));
    assertFalse(credentials().toString().contains("fdp_secret"));
    assertFalse(new EnrollRequest("fet_secret", "edge-01", "csr").toString().contains("fet_"));
  }

  /** ApiRecordsTest checks that these cases and its own cover every record of the package. */
  @Test
  void cases_coverTheSixIdentityRecords() {
    assertEquals(6, cases().stream().map(c -> c.sample().getClass()).distinct().count());
  }
}
