package dev.ferry.agent.identity;

import dev.ferry.protocol.api.RenewRequest;
import java.io.IOException;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.jboss.logging.Logger;

/**
 * Renews the device certificate in the background once less than {@code renewBefore} of its
 * lifetime is left: a CSR for the same key, sent with the current credential, the new certificate
 * written atomically, and the MQTT link told to reconnect with it. Failures are logged with the
 * hub's message and retried with backoff.
 */
public final class Renewal {
  private static final Logger LOG = Logger.getLogger(Renewal.class);
  private static final Duration LONGEST_SLEEP = Duration.ofHours(1);

  private final IdentityFiles files;
  private final DeviceCredential credential;
  private final HubClient hub;
  private final double renewBefore;
  private final Clock clock;
  private final Runnable renewed;
  private int failures;

  /**
   * Creates the renewal.
   *
   * @param files the identity files
   * @param credential the current credential
   * @param hub the hub
   * @param renewBefore {@code ferry.agent.enrollment.renew-before}, in (0, 1)
   * @param clock the clock
   * @param renewed run after a new certificate is in place (the MQTT link reconnects)
   */
  public Renewal(
      IdentityFiles files,
      DeviceCredential credential,
      HubClient hub,
      double renewBefore,
      Clock clock,
      Runnable renewed) {
    this.files = files;
    this.credential = credential;
    this.hub = hub;
    this.renewBefore = requireFraction(renewBefore);
    this.clock = clock;
    this.renewed = renewed;
  }

  /**
   * Checks {@code ferry.agent.enrollment.renew-before}.
   *
   * @param renewBefore the fraction
   * @return it, when strictly between 0 and 1
   * @throws IllegalStateException naming the property otherwise
   */
  public static double requireFraction(double renewBefore) {
    if (!(renewBefore > 0 && renewBefore < 1)) {
      throw new IllegalStateException(
          "ferry.agent.enrollment.renew-before must be between 0 and 1, got " + renewBefore);
    }
    return renewBefore;
  }

  /**
   * When a certificate is due for renewal: {@code renewBefore} of its lifetime before it expires.
   *
   * @param certificate the certificate
   * @param renewBefore the fraction of the lifetime
   * @return the instant from which it is renewed
   */
  public static Instant dueAt(X509Certificate certificate, double renewBefore) {
    Instant notBefore = certificate.getNotBefore().toInstant();
    Instant notAfter = certificate.getNotAfter().toInstant();
    long lifetime = Duration.between(notBefore, notAfter).toMillis();
    return notAfter.minusMillis((long) (lifetime * renewBefore));
  }

  /**
   * Renews if the certificate is due.
   *
   * @return how long until the next check
   */
  public Duration tick() {
    try {
      Instant due = dueAt(current(), renewBefore);
      Instant now = clock.instant();
      if (now.isBefore(due)) {
        return min(Duration.between(now, due), LONGEST_SLEEP);
      }
      return renew();
    } catch (IOException | InvalidIdentityException e) {
      return failed("cannot renew: " + e.getMessage());
    }
  }

  private Duration renew() throws IOException {
    PrivateKey key = DeviceKeys.privateKey(files.read(files.key()));
    String csr = DeviceKeys.csr(credential.deviceId(), DeviceKeys.publicKey(key), key);
    HubAnswer answer = hub.renew(credential, new RenewRequest(csr));
    if (answer instanceof HubAnswer.Issued issued && issued.credentials().certificate() != null) {
      DeviceKeys.certificates(issued.credentials().certificate(), "certificate");
      store(issued);
      return Duration.ZERO;
    }
    if (answer instanceof HubAnswer.Refused refused) {
      return failed("renewal refused (HTTP " + refused.status() + "): " + refused.message());
    }
    return failed("renewal not answered with a certificate");
  }

  private void store(HubAnswer.Issued issued) throws IOException {
    if (issued.credentials().caCertificates() != null) {
      DeviceKeys.certificates(issued.credentials().caCertificates(), "caCertificates");
      files.write(files.ca(), issued.credentials().caCertificates());
    }
    files.write(files.certificate(), issued.credentials().certificate());
    failures = 0;
    LOG.infof(
        "certificate of %s renewed; valid until %s",
        credential.deviceId(), issued.credentials().notAfter());
    renewed.run();
  }

  private X509Certificate current() throws IOException {
    return DeviceKeys.certificates(files.read(files.certificate()), "device.crt").get(0);
  }

  private Duration failed(String message) {
    Duration delay = Enrollment.REFUSED.delay(failures++);
    LOG.warnf("%s; retrying in %d ms", message, delay.toMillis());
    return delay;
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }
}
