package dev.ferry.agent.identity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RenewalTest {
  @TempDir Path dataDir;
  private FakeHub hub;
  private IdentityFiles files;
  private DeviceCredential credential;
  private Instant issuedAt;
  private final AtomicInteger reconnects = new AtomicInteger();

  @BeforeEach
  void enroll() throws Exception {
    hub = new FakeHub();
    issuedAt = Instant.parse("2026-12-01T00:00:00Z");
    hub.notBefore = issuedAt;
    hub.validity = Duration.ofDays(30);
    files = IdentityFiles.under(dataDir);
    Path token = Files.writeString(dataDir.resolve("token"), "fet_x");
    credential =
        new Enrollment(
                new Enrollment.Setup(
                    files, "edge-1", Optional.of(hub.client()), Optional.of(token), Duration.ZERO),
                delay -> {})
            .await();
    hub.seen.clear();
  }

  @AfterEach
  void stop() {
    hub.close();
  }

  private Renewal renewal(Instant now) {
    return new Renewal(
        files,
        credential,
        hub.client(),
        0.33,
        Clock.fixed(now, ZoneOffset.UTC),
        reconnects::incrementAndGet);
  }

  private X509Certificate certificate() throws Exception {
    return DeviceKeys.certificates(Files.readString(files.certificate()), "c").get(0);
  }

  @Test
  void dueAt_isTheFractionOfTheLifetimeBeforeExpiry() throws Exception {
    Instant notAfter = issuedAt.plus(Duration.ofDays(30));
    long third = (long) (Duration.ofDays(30).toMillis() * 0.33);
    assertEquals(notAfter.minusMillis(third), Renewal.dueAt(certificate(), 0.33));
  }

  @Test
  void tick_beforeDue_waitsAndAsksNothing() throws Exception {
    Instant due = Renewal.dueAt(certificate(), 0.33);

    assertEquals(Duration.ofMinutes(30), renewal(due.minus(Duration.ofMinutes(30))).tick());
    assertEquals(Duration.ofHours(1), renewal(issuedAt).tick());
    assertEquals(List.of(), hub.seen);
    assertEquals(0, reconnects.get());
  }

  @Test
  void tick_whenDue_renewsWithBasicAuth_replacesTheCertificate_andReconnects() throws Exception {
    X509Certificate old = certificate();
    String key = Files.readString(files.key());
    hub.notBefore = issuedAt.plus(Duration.ofDays(21));

    Duration next = renewal(Renewal.dueAt(old, 0.33).plusSeconds(1)).tick();

    assertEquals(Duration.ZERO, next);
    assertEquals(1, hub.seen.size());
    assertEquals("/api/v1/devices/edge-1/certificate", hub.seen.get(0).path());
    String basic =
        Base64.getEncoder()
            .encodeToString(("edge-1:" + FakeHub.PASSWORD).getBytes(StandardCharsets.UTF_8));
    assertEquals("Basic " + basic, hub.seen.get(0).authorization());
    X509Certificate renewed = certificate();
    assertNotEquals(old.getSerialNumber(), renewed.getSerialNumber());
    assertEquals(old.getPublicKey(), renewed.getPublicKey());
    assertEquals(key, Files.readString(files.key()));
    assertEquals(
        "rw-------",
        PosixFilePermissions.toString(Files.getPosixFilePermissions(files.certificate())));
    assertEquals(1, reconnects.get());
    assertEquals(Duration.ofHours(1), renewal(Renewal.dueAt(old, 0.33).plusSeconds(1)).tick());
  }

  @Test
  void tick_refused_keepsTheCertificate_logsTheHubsMessage_andBacksOff() throws Exception {
    X509Certificate old = certificate();
    hub.plan.add(401);
    Duration next;
    List<String> lines;
    try (LogCapture log = new LogCapture(Renewal.class)) {
      next = renewal(old.getNotAfter().toInstant()).tick();
      lines = List.copyOf(log.lines);
    }

    assertTrue(next.compareTo(Duration.ofSeconds(1)) <= 0, next.toString());
    assertEquals(old, certificate());
    assertEquals(0, reconnects.get());
    assertEquals(1, lines.size(), lines.toString());
    assertTrue(
        lines.get(0).startsWith("renewal refused (HTTP 401): bad device credentials; retrying in "),
        lines.get(0));
    assertTrue(lines.stream().noneMatch(l -> l.contains(FakeHub.PASSWORD)));
  }
}
