package dev.ferry.agent.identity;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.protocol.api.EnrollRequest;
import dev.ferry.protocol.json.JsonCodec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EnrollmentTest {
  private static final String TOKEN = "fet_do-not-log-me";
  private static final Duration POLL = Duration.ofSeconds(30);

  @TempDir Path dataDir;
  private FakeHub hub;
  private IdentityFiles files;
  private Path tokenFile;
  private final List<Duration> pauses = new ArrayList<>();

  @BeforeEach
  void start() throws Exception {
    hub = new FakeHub();
    files = IdentityFiles.under(dataDir);
    tokenFile = Files.writeString(dataDir.resolve("token"), TOKEN + "\n");
  }

  @AfterEach
  void stop() {
    hub.close();
  }

  private Enrollment enrollment(Optional<HubClient> client, Optional<Path> token) {
    return new Enrollment(new Enrollment.Setup(files, "edge-1", client, token, POLL), pauses::add);
  }

  private Enrollment enrollment() {
    return enrollment(Optional.of(hub.client()), Optional.of(tokenFile));
  }

  @Test
  void issuedFilesThatCannotBeWritten_areAskedForAgain_untilTheyCanBe() throws Exception {
    // a directory where the password goes: its write fails, as on a full disk
    Path blocker = Files.createDirectories(files.password().resolve("in-the-way"));
    Enrollment enrollment =
        new Enrollment(
            new Enrollment.Setup(
                files, "edge-1", Optional.of(hub.client()), Optional.of(tokenFile), POLL),
            delay -> {
              pauses.add(delay);
              try {
                Files.delete(blocker);
                Files.delete(files.password());
              } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
              }
            });
    try (LogCapture log = new LogCapture(Enrollment.class)) {
      DeviceCredential credential = enrollment.await();

      assertEquals(new DeviceCredential("edge-1", FakeHub.PASSWORD), credential);
      assertTrue(files.complete());
      assertEquals(2, hub.seen.size());
      assertEquals(1, pauses.size());
      assertTrue(
          log.warnings.get(0).startsWith("device edge-1 was issued its credentials, but they"),
          log.warnings.get(0));
    }
  }

  @Test
  void issued_storesTheFiles_ownerOnly() throws Exception {
    DeviceCredential credential = enrollment().await();

    assertEquals(new DeviceCredential("edge-1", FakeHub.PASSWORD), credential);
    assertTrue(files.complete());
    assertEquals(FakeHub.PASSWORD, Files.readString(files.password()));
    X509Certificate certificate =
        DeviceKeys.certificates(Files.readString(files.certificate()), "c").get(0);
    assertEquals("CN=edge-1", certificate.getSubjectX500Principal().getName());
    assertEquals(
        DeviceKeys.publicKey(DeviceKeys.privateKey(Files.readString(files.key()))),
        certificate.getPublicKey());
    assertEquals(
        hub.ca.certificate, DeviceKeys.certificates(Files.readString(files.ca()), "ca").get(0));
    for (Path secret : List.of(files.key(), files.password())) {
      assertEquals(
          "rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(secret)));
    }
    assertEquals(
        "rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(files.dir())));
    EnrollRequest sent = new JsonCodec().decode(hub.seen.get(0).body(), EnrollRequest.class);
    assertEquals(TOKEN, sent.token());
    assertEquals(List.of(), pauses);
  }

  @Test
  void pending_asksAgainEveryPollInterval_withTheSameRequest() throws Exception {
    hub.plan.addAll(List.of(202, 202, 201));

    enrollment().await();

    assertEquals(List.of(POLL, POLL), pauses);
    assertEquals(3, hub.seen.size());
    assertArrayEquals(hub.seen.get(0).body(), hub.seen.get(2).body());
    assertTrue(files.complete());
  }

  @Test
  void refused_isRetriedWithBackoff_andLoggedWithTheHubsMessage_neverTheToken() throws Exception {
    hub.plan.addAll(List.of(403, 403, 403, 201));
    List<String> lines;
    List<String> warnings;
    try (LogCapture log = new LogCapture(Enrollment.class)) {
      enrollment().await();
      lines = List.copyOf(log.lines);
      warnings = List.copyOf(log.warnings);
    }

    assertEquals(3, pauses.size());
    assertTrue(
        pauses.stream().allMatch(p -> p.compareTo(Duration.ofSeconds(4)) <= 0), pauses.toString());
    // before: a WARN at every retry; the same refusal again is DEBUG until a 10-minute reminder
    assertEquals(1, warnings.size(), lines.toString());
    assertTrue(
        warnings
            .get(0)
            .startsWith(
                "enrollment of edge-1 refused (HTTP 403): token: expired at 2026-01-01T00:00:00Z; retrying in "),
        warnings.get(0));
    assertEquals(
        2, lines.stream().filter(l -> l.startsWith("enrollment of edge-1 refused again")).count());
    assertTrue(
        lines.contains("enrollment of edge-1 accepted after 3 refused attempts over 0 s"),
        lines.toString());
    assertFalse(
        lines.stream().anyMatch(l -> l.contains(TOKEN) || l.contains("PRIVATE KEY")),
        lines.toString());
    assertTrue(files.complete());
  }

  @Test
  void aRefusalThatSaysSomethingNew_isAWarningAgain() throws Exception {
    hub.plan.addAll(List.of(403, 401, 401, 201));
    List<String> warnings;
    try (LogCapture log = new LogCapture(Enrollment.class)) {
      enrollment().await();
      warnings = List.copyOf(log.warnings);
    }

    assertEquals(2, warnings.size(), warnings.toString());
    assertTrue(warnings.get(1).contains("(HTTP 401): bad device credentials"), warnings.get(1));
    assertTrue(warnings.get(1).contains("; refused 2 times since 20"), warnings.get(1));
  }

  @Test
  void aRefusedToken_isMendedByWritingANewOneToItsFile_withoutARestart() throws Exception {
    hub.plan.addAll(List.of(403, 201));
    Enrollment.Setup setup =
        new Enrollment.Setup(
            files, "edge-1", Optional.of(hub.client()), Optional.of(tokenFile), POLL);
    Enrollment.Pause operatorWritesANewToken =
        delay -> {
          try {
            Files.writeString(tokenFile, "fet_the-new-one\n");
          } catch (java.io.IOException e) {
            throw new AssertionError(e);
          }
        };

    new Enrollment(setup, operatorWritesANewToken).await();

    JsonCodec codec = new JsonCodec();
    assertEquals(TOKEN, codec.decode(hub.seen.get(0).body(), EnrollRequest.class).token());
    EnrollRequest second = codec.decode(hub.seen.get(1).body(), EnrollRequest.class);
    assertEquals("fet_the-new-one", second.token());
    assertEquals(
        codec.decode(hub.seen.get(0).body(), EnrollRequest.class).csr(),
        second.csr(),
        "the same key and request");
    assertTrue(files.complete());
  }

  @Test
  void unreachableHub_isRetried_keepingTheKey() throws Exception {
    hub.close();
    List<Duration> tries = new ArrayList<>();
    Enrollment.Setup setup =
        new Enrollment.Setup(
            files, "edge-1", Optional.of(hub.client()), Optional.of(tokenFile), POLL);
    Enrollment.Pause stopAtThird =
        delay -> {
          tries.add(delay);
          if (tries.size() == 3) {
            throw new InterruptedException("stop");
          }
        };

    assertThrows(InterruptedException.class, new Enrollment(setup, stopAtThird)::await);

    assertEquals(3, tries.size());
    assertFalse(files.complete());
    assertTrue(Files.exists(files.key()), "the key is kept for the next try");
  }

  @Test
  void existingFiles_skipEnrollment_withoutHubOrToken() throws Exception {
    enrollment().await();
    int requests = hub.seen.size();

    DeviceCredential again = enrollment(Optional.empty(), Optional.empty()).await();

    assertEquals("edge-1", again.deviceId());
    assertEquals(requests, hub.seen.size());
  }

  @Test
  void check_refusesAnEmptyOrMissingTokenFile() throws Exception {
    Path empty = Files.writeString(dataDir.resolve("empty"), "\n");
    Path missing = dataDir.resolve("missing");
    var e1 =
        assertThrows(
            IllegalStateException.class,
            () -> enrollment(Optional.of(hub.client()), Optional.of(empty)).check());
    assertEquals(
        "ferry.agent.enrollment.token-file: " + empty + " is empty; put the token there",
        e1.getMessage());
    var e2 =
        assertThrows(
            IllegalStateException.class,
            () -> enrollment(Optional.of(hub.client()), Optional.of(missing)).check());
    assertEquals(
        "ferry.agent.enrollment.token-file: "
            + missing
            + " cannot be read (NoSuchFileException); put the token there",
        e2.getMessage());
  }

  @Test
  void check_namesTheMissingProperty() {
    var noHub =
        assertThrows(
            IllegalStateException.class,
            () -> enrollment(Optional.empty(), Optional.of(tokenFile)).check());
    assertEquals(
        "ferry.agent.hub-url: not set, and "
            + files.dir()
            + " holds no identity; set it to enroll this device with the hub",
        noHub.getMessage());
    var noToken =
        assertThrows(
            IllegalStateException.class,
            () -> enrollment(Optional.of(hub.client()), Optional.empty()).check());
    assertEquals(
        "ferry.agent.enrollment.token-file: not set, and "
            + files.dir()
            + " holds no identity; set it to enroll this device with the hub",
        noToken.getMessage());
  }
}
