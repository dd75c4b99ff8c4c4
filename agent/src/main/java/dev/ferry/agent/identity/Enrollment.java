package dev.ferry.agent.identity;

import dev.ferry.agent.fetch.Backoff;
import dev.ferry.protocol.api.DeviceCredentials;
import dev.ferry.protocol.api.EnrollRequest;
import dev.ferry.protocol.retry.FailureStreak;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Gets the device its identity: the files when they are there, else a key made here, a CSR sent
 * with the enrollment token, and the hub asked again while it holds the device PENDING or refuses
 * (logged with the hub's message, never the token), until a certificate is issued.
 */
public final class Enrollment {
  private static final Logger LOG = Logger.getLogger(Enrollment.class);
  static final Backoff REFUSED =
      new Backoff(Duration.ofSeconds(1), Duration.ofMinutes(5), Integer.MAX_VALUE);

  /** Waits between attempts; the agent sleeps, tests record. */
  @FunctionalInterface
  public interface Pause {
    /**
     * Waits.
     *
     * @param delay how long
     * @throws InterruptedException if the agent stops meanwhile
     */
    void sleep(Duration delay) throws InterruptedException;
  }

  /**
   * What enrollment needs.
   *
   * @param files the identity files
   * @param deviceId the device id
   * @param hub the hub, when {@code ferry.agent.hub-url} is set
   * @param tokenFile {@code ferry.agent.enrollment.token-file}
   * @param pollInterval how often to ask while PENDING
   */
  public record Setup(
      IdentityFiles files,
      String deviceId,
      Optional<HubClient> hub,
      Optional<Path> tokenFile,
      Duration pollInterval) {}

  private final Setup setup;
  private final Pause pause;
  private final FailureStreak refused = new FailureStreak(Duration.ofMinutes(10));
  private int refusals;
  private String lastRefusal;

  /**
   * Creates the enrollment.
   *
   * @param setup what it needs
   * @param pause how it waits
   */
  public Enrollment(Setup setup, Pause pause) {
    this.setup = setup;
    this.pause = pause;
  }

  /**
   * Checks at start that the device has an identity or can get one.
   *
   * @throws IllegalStateException naming the property that is missing
   */
  public void check() {
    if (setup.files().complete()) {
      return;
    }
    if (setup.hub().isEmpty()) {
      throw new IllegalStateException(missing("ferry.agent.hub-url"));
    }
    if (setup.tokenFile().isEmpty()) {
      throw new IllegalStateException(missing("ferry.agent.enrollment.token-file"));
    }
    checkToken(setup.tokenFile().get());
  }

  private static void checkToken(Path file) {
    String problem = tokenProblem(file);
    if (problem != null) {
      throw new IllegalStateException(
          "ferry.agent.enrollment.token-file: " + file + " " + problem + "; put the token there");
    }
  }

  private static String tokenProblem(Path file) {
    try {
      return Files.readString(file).isBlank() ? "is empty" : null;
    } catch (IOException e) {
      return "cannot be read (" + e.getClass().getSimpleName() + ")";
    }
  }

  private String missing(String property) {
    return property
        + ": not set, and "
        + setup.files().dir()
        + " holds no identity; set it to enroll this device with the hub";
  }

  /**
   * Returns the device's credential, enrolling first if the files are not there; blocks until the
   * hub issues a certificate.
   *
   * @return the credential
   * @throws InterruptedException if the agent stops meanwhile
   * @throws IOException if the key or the token cannot be read or the files written
   */
  public DeviceCredential await() throws InterruptedException, IOException {
    check();
    if (!setup.files().complete()) {
      enroll(request());
    }
    return credential(setup.files(), setup.deviceId());
  }

  /**
   * The credential in the identity files.
   *
   * @param files the files
   * @param deviceId the device id
   * @return the credential
   * @throws IOException if the password file cannot be read
   */
  public static DeviceCredential credential(IdentityFiles files, String deviceId)
      throws IOException {
    return new DeviceCredential(deviceId, files.read(files.password()).strip());
  }

  private EnrollRequest request() throws IOException {
    PrivateKey key = key();
    String csr = DeviceKeys.csr(setup.deviceId(), DeviceKeys.publicKey(key), key);
    String token = Files.readString(setup.tokenFile().orElseThrow()).strip();
    return new EnrollRequest(token, setup.deviceId(), csr);
  }

  /** The key made at the first attempt is kept, so asking again while PENDING sends the same. */
  private PrivateKey key() throws IOException {
    IdentityFiles files = setup.files();
    if (Files.isRegularFile(files.key())) {
      return DeviceKeys.privateKey(files.read(files.key()));
    }
    PrivateKey key = DeviceKeys.generate().getPrivate();
    files.write(files.key(), DeviceKeys.pkcs8Pem(key));
    return key;
  }

  private void enroll(EnrollRequest first) throws InterruptedException, IOException {
    HubClient hub = setup.hub().orElseThrow();
    LOG.infof("enrolling device %s with the hub", setup.deviceId());
    EnrollRequest request = first;
    while (true) {
      HubAnswer answer = ask(hub, request);
      if (answer instanceof HubAnswer.Issued issued) {
        refused
            .ended(Instant.now())
            .ifPresent(
                streak ->
                    LOG.infof(
                        "enrollment of %s accepted after %d refused attempts over %d s",
                        setup.deviceId(), streak.failures(), streak.lasted().toSeconds()));
        if (stored(issued.credentials())) {
          return;
        }
        continue; // asked again: the hub issues again for the same token and key
      }
      pause.sleep(wait(answer));
      // the token file is read again before each attempt: a refused token is mended by writing
      // a new one there, without a restart
      request =
          new EnrollRequest(token().orElse(request.token()), request.deviceId(), request.csr());
    }
  }

  /**
   * Stores issued credentials; when they cannot be written (a full disk, a read-only mount), says
   * so and waits as after a refusal, rather than leaving the device without an identity until a
   * restart.
   */
  private boolean stored(DeviceCredentials issued) throws InterruptedException {
    try {
      store(issued);
      return true;
    } catch (IOException e) {
      Duration delay = REFUSED.delay(refusals++);
      LOG.warnf(
          "device %s was issued its credentials, but they cannot be written under %s (%s);"
              + " asking again in %d ms",
          setup.deviceId(), setup.files().dir(), e, delay.toMillis());
      pause.sleep(delay);
      return false;
    }
  }

  /** The token as the file holds it now; empty while it is unreadable or blank (being written). */
  private Optional<String> token() {
    try {
      String token = Files.readString(setup.tokenFile().orElseThrow()).strip();
      return token.isEmpty() ? Optional.empty() : Optional.of(token);
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  private HubAnswer ask(HubClient hub, EnrollRequest request) {
    try {
      HubAnswer answer = hub.enroll(request);
      if (answer instanceof HubAnswer.Issued issued) {
        return Enrollment.checked(issued.credentials());
      }
      return answer;
    } catch (IOException e) {
      return new HubAnswer.Refused(
          0,
          "hub unreachable: "
              + java.util.Objects.requireNonNullElse(e.getMessage(), e.getClass().getSimpleName()));
    }
  }

  /** Issued credentials that hold what enrollment stores, else a refusal naming what is missing. */
  static HubAnswer checked(DeviceCredentials issued) {
    if (issued.certificate() == null || issued.caCertificates() == null) {
      return new HubAnswer.Refused(502, "the hub's credentials lack " + absent(issued));
    }
    if (issued.mqttPassword() == null || issued.mqttPassword().isBlank()) {
      return new HubAnswer.Refused(502, "the hub's credentials lack mqttPassword");
    }
    try {
      DeviceKeys.certificates(issued.certificate(), "certificate");
      DeviceKeys.certificates(issued.caCertificates(), "caCertificates");
      return new HubAnswer.Issued(issued);
    } catch (InvalidIdentityException e) {
      return new HubAnswer.Refused(502, "the hub's " + e.getMessage());
    }
  }

  /**
   * How long to wait after an answer. A refusal is a WARN when it is the first, says something new
   * (a token mended into another refusal) or reminds every 10 minutes; the other retries are DEBUG,
   * so a device left with a wrong token does not fill its journal.
   */
  private Duration wait(HubAnswer answer) {
    if (answer instanceof HubAnswer.Refused refusal) {
      Duration delay = REFUSED.delay(refusals++);
      String why = status(refusal) + ": " + refusal.message();
      FailureStreak.Report report = refused.failed(Instant.now());
      boolean news = !why.equals(lastRefusal);
      lastRefusal = why;
      if (report == FailureStreak.Report.QUIET && !news) {
        LOG.debugf(
            "enrollment of %s refused again (%s): %s; retrying in %d ms",
            setup.deviceId(), status(refusal), refusal.message(), delay.toMillis());
        return delay;
      }
      LOG.warnf(
          "enrollment of %s refused (%s): %s; retrying in %d ms%s%s",
          setup.deviceId(),
          status(refusal),
          refusal.message(),
          delay.toMillis(),
          refusal.status() == 401 || refusal.status() == 403
              ? " (a new token written to " + setup.tokenFile().orElseThrow() + " is used then)"
              : "",
          refused.failures() > 1
              ? "; refused " + refused.failures() + " times since " + refused.since().orElseThrow()
              : "");
      return delay;
    }
    refusals = 0;
    refused.ended(Instant.now());
    lastRefusal = null;
    LOG.infof(
        "enrollment of %s is PENDING until an admin accepts it; asking again in %s",
        setup.deviceId(), setup.pollInterval());
    return setup.pollInterval();
  }

  private static String status(HubAnswer.Refused refused) {
    return refused.status() == 0 ? "no answer" : "HTTP " + refused.status();
  }

  private void store(DeviceCredentials issued) throws IOException {
    IdentityFiles files = setup.files();
    files.write(files.ca(), issued.caCertificates());
    files.write(files.certificate(), issued.certificate());
    files.write(files.password(), issued.mqttPassword());
    LOG.infof(
        "device %s enrolled; certificate valid until %s", setup.deviceId(), issued.notAfter());
  }

  private static String absent(DeviceCredentials issued) {
    return issued.certificate() == null ? "certificate" : "caCertificates";
  }
}
