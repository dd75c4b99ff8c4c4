package dev.ferry.hub.identity;

import dev.ferry.hub.config.HubConfig;
import dev.ferry.protocol.files.AtomicFiles;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * The hub's device CA: loaded from {@code ferry.hub.device-ca.*}, else generated once into {@code
 * <data-dir>/keys/device-ca.key} (0600) and {@code device-ca.crt}. Issues device certificates, the
 * embedded broker's server certificate and the hub's own client certificate, and writes the CRL.
 */
@ApplicationScoped
public class DeviceCa implements TlsMaterial {
  private static final Logger LOG = Logger.getLogger(DeviceCa.class);
  private static final Duration SERVER_VALIDITY = Duration.ofDays(397);
  private static final Duration CRL_VALIDITY = Duration.ofDays(30);
  private static final Duration CA_BACKDATE = Duration.ofHours(1);

  @Inject HubConfig config;
  @Inject Clock clock;

  private CertificateAuthority ca;
  private final Map<List<String>, KeyAndChain> servers = new ConcurrentHashMap<>();
  private volatile KeyAndChain hub;
  private volatile Set<BigInteger> revoked = Set.of();

  void start(@Observes @Priority(500) StartupEvent event) {
    ca = load();
  }

  private CertificateAuthority load() {
    Optional<Path> key = config.deviceCa().key();
    Optional<Path> certificate = config.deviceCa().certificate();
    if (key.isPresent() != certificate.isPresent()) {
      throw new IllegalStateException(
          "set both ferry.hub.device-ca.key and ferry.hub.device-ca.certificate, or neither");
    }
    Path keyFile = key.orElse(keysDir().resolve("device-ca.key"));
    Path certificateFile = certificate.orElse(keysDir().resolve("device-ca.crt"));
    try {
      if (key.isEmpty() && !Files.exists(keyFile)) {
        return generate(keyFile, certificateFile);
      }
      CertificateAuthority given = read(keyFile, certificateFile);
      copyCertificate(given, certificateFile);
      return given;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the device CA " + keyFile, e);
    } catch (IllegalArgumentException e) {
      throw new IllegalStateException(
          "ferry.hub.device-ca: " + keyFile + " / " + certificateFile + ": " + e.getMessage(), e);
    }
  }

  private static CertificateAuthority read(Path keyFile, Path certificateFile) throws IOException {
    CertificateAuthority ca =
        new CertificateAuthority(
            Pem.privateKey(Files.readString(keyFile, StandardCharsets.US_ASCII)),
            Pem.certificates(Files.readString(certificateFile, StandardCharsets.US_ASCII)).get(0));
    X509Certificate probe =
        ca.issueClient(
            "probe", CertificateAuthority.newKeyPair().getPublic(), Instant.EPOCH, Instant.EPOCH);
    try {
      probe.verify(ca.certificate().getPublicKey());
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalArgumentException("the key does not belong to the certificate", e);
    }
    return ca;
  }

  /** Writes a given CA's certificate where a Mosquitto beside the hub finds it ({@code cafile}). */
  private void copyCertificate(CertificateAuthority given, Path certificateFile)
      throws IOException {
    Path copy = keysDir().resolve("device-ca.crt");
    if (!copy.toAbsolutePath().normalize().equals(certificateFile.toAbsolutePath().normalize())) {
      writeCertificate(given, copy);
    }
  }

  private CertificateAuthority generate(Path keyFile, Path certificateFile) throws IOException {
    // valid from an hour ago: devices whose clocks lag the hub's still accept it
    CertificateAuthority generated =
        CertificateAuthority.generate("Ferry device CA", clock.instant().minus(CA_BACKDATE), 10);
    AtomicFiles.write(keyFile, Pem.write(generated.key()).getBytes(StandardCharsets.US_ASCII));
    writeCertificate(generated, certificateFile);
    LOG.infof("generated the device CA into %s", keyFile.getParent());
    return generated;
  }

  private static void writeCertificate(CertificateAuthority ca, Path file) throws IOException {
    AtomicFiles.write(file, Pem.write(ca.certificate()).getBytes(StandardCharsets.US_ASCII));
  }

  private Path keysDir() {
    return config.dataDir().resolve("keys");
  }

  /**
   * Certifies a device's key.
   *
   * @param deviceId the device id, the subject's CN
   * @param key its public key
   * @return the certificate, valid for {@code ferry.hub.enrollment.certificate-validity}
   */
  public X509Certificate issueDevice(String deviceId, PublicKey key) {
    Instant now = clock.instant();
    return ca.issueClient(
        deviceId, key, now.minusSeconds(60), now.plus(config.enrollment().certificateValidity()));
  }

  @Override
  public X509Certificate caCertificate() {
    return ca.certificate();
  }

  @Override
  public KeyAndChain serverIdentity(List<String> names) {
    return servers.computeIfAbsent(
        List.copyOf(names),
        n -> {
          KeyPair keys = CertificateAuthority.newKeyPair();
          Instant now = clock.instant();
          X509Certificate leaf =
              ca.issueServer(n, keys.getPublic(), now.minusSeconds(60), now.plus(SERVER_VALIDITY));
          return new KeyAndChain(keys.getPrivate(), List.of(leaf, ca.certificate()));
        });
  }

  @Override
  public synchronized KeyAndChain hubIdentity() {
    if (hub == null) {
      KeyPair keys = CertificateAuthority.newKeyPair();
      Instant now = clock.instant();
      X509Certificate leaf =
          ca.issueClient(
              HUB_IDENTITY, keys.getPublic(), now.minusSeconds(60), now.plus(SERVER_VALIDITY));
      hub = new KeyAndChain(keys.getPrivate(), List.of(leaf, ca.certificate()));
    }
    return hub;
  }

  @Override
  public boolean revoked(BigInteger serial) {
    return revoked.contains(serial);
  }

  /**
   * Publishes the revoked serials: kept for {@link #revoked} and written as a signed CRL to {@code
   * ferry.hub.enrollment.crl-file} (default {@code <data-dir>/keys/devices.crl.pem}).
   *
   * @param serials revoked serials of certificates not yet expired, with when each was revoked
   */
  public void publishRevocations(Map<BigInteger, Instant> serials) {
    revoked = Set.copyOf(serials.keySet());
    Instant now = clock.instant();
    Path file = crlFile();
    try {
      AtomicFiles.write(
          file,
          Pem.write(ca.crl(serials, now, now.plus(CRL_VALIDITY)))
              .getBytes(StandardCharsets.US_ASCII));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the CRL " + file, e);
    }
  }

  /** The CRL file. */
  public Path crlFile() {
    return config.enrollment().crlFile().orElse(keysDir().resolve("devices.crl.pem"));
  }

  /** The current CRL as PEM, from its file. */
  public String crlPem() {
    try {
      return Files.readString(crlFile(), StandardCharsets.US_ASCII);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the CRL " + crlFile(), e);
    }
  }
}
