package dev.ferry.agent.identity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Mutual TLS from the identity files against a JDK server that requires a client certificate from
 * the device CA, as the embedded broker and Mosquitto do.
 */
class DeviceTlsTest {
  @TempDir Path dataDir;
  private FakeHub hub;
  private IdentityFiles files;

  @BeforeEach
  void enroll() throws Exception {
    hub = new FakeHub();
    files = IdentityFiles.under(dataDir);
    Path token = Files.writeString(dataDir.resolve("token"), "fet_x");
    new Enrollment(
            new Enrollment.Setup(
                files, "edge-1", Optional.of(hub.client()), Optional.of(token), Duration.ZERO),
            delay -> {})
        .await();
  }

  @AfterEach
  void stop() {
    hub.close();
  }

  @Test
  void handshake_presentsTheDeviceCertificate_toAServerOfTheDeviceCa() throws Exception {
    try (SSLServerSocket server = server(hub.ca, hub.ca)) {
      CompletableFuture<X509Certificate> peer = accept(server);
      handshake(server.getLocalPort());
      X509Certificate client = peer.get(10, TimeUnit.SECONDS);
      assertEquals("CN=edge-1", client.getSubjectX500Principal().getName());
    }
  }

  @Test
  void handshake_readsTheFilesAtEachConnect_soARenewedCertificateIsUsed() throws Exception {
    try (SSLServerSocket server = server(hub.ca, hub.ca)) {
      CompletableFuture<X509Certificate> first = accept(server);
      handshake(server.getLocalPort());
      BigInteger before = first.get(10, TimeUnit.SECONDS).getSerialNumber();
      Instant expiry = current().getNotAfter().toInstant();
      Clock atExpiry = Clock.fixed(expiry, ZoneOffset.UTC);
      var credential = Enrollment.credential(files, "edge-1");
      new Renewal(files, credential, hub.client(), 0.33, atExpiry, () -> {}).tick();

      CompletableFuture<X509Certificate> second = accept(server);
      handshake(server.getLocalPort());

      BigInteger after = second.get(10, TimeUnit.SECONDS).getSerialNumber();
      assertEquals(
          DeviceKeys.certificates(Files.readString(files.certificate()), "c")
              .get(0)
              .getSerialNumber(),
          after);
      assertNotEquals(before, after);
    }
  }

  @Test
  void handshake_failsAgainstAServerWhoseCertificateAnotherCaSigned() throws Exception {
    TestCa other = new TestCa("another CA");
    try (SSLServerSocket server = server(other, hub.ca)) {
      accept(server);
      assertThrows(SSLHandshakeException.class, () -> handshake(server.getLocalPort()));
    }
  }

  @Test
  void handshake_usesTheConfiguredCaFile_overTheEnrolledOne() throws Exception {
    TestCa other = new TestCa("broker CA");
    Path caFile =
        Files.writeString(dataDir.resolve("broker-ca.pem"), TestCa.pem(other.certificate));
    try (SSLServerSocket server = server(other, hub.ca)) {
      CompletableFuture<X509Certificate> peer = accept(server);
      handshake(server.getLocalPort(), Optional.of(caFile));
      assertEquals("CN=edge-1", peer.get(10, TimeUnit.SECONDS).getSubjectX500Principal().getName());
    }
  }

  private X509Certificate current() throws IOException {
    return DeviceKeys.certificates(Files.readString(files.certificate()), "c").get(0);
  }

  private void handshake(int port) throws IOException {
    handshake(port, Optional.empty());
  }

  private void handshake(int port, Optional<Path> caFile) throws IOException {
    try (SSLSocket socket =
        (SSLSocket) DeviceTls.socketFactory(files, caFile).createSocket("127.0.0.1", port)) {
      SSLParameters parameters = socket.getSSLParameters();
      parameters.setEndpointIdentificationAlgorithm("HTTPS");
      socket.setSSLParameters(parameters);
      socket.startHandshake();
      socket.getOutputStream().write(1);
      socket.getOutputStream().flush();
    }
  }

  /**
   * A server with a certificate from {@code serverCa} that requires clients of {@code clientCa}.
   */
  private static SSLServerSocket server(TestCa serverCa, TestCa clientCa) throws Exception {
    KeyPair keys = DeviceKeys.generate();
    KeyStore identity = KeyStore.getInstance("PKCS12");
    identity.load(null, null);
    identity.setKeyEntry(
        "server",
        keys.getPrivate(),
        new char[0],
        new X509Certificate[] {serverCa.server(keys.getPublic()), serverCa.certificate});
    KeyManagerFactory keyManagers =
        KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    keyManagers.init(identity, new char[0]);
    KeyStore trusted = KeyStore.getInstance("PKCS12");
    trusted.load(null, null);
    trusted.setCertificateEntry("ca", clientCa.certificate);
    TrustManagerFactory trustManagers =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    trustManagers.init(trusted);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(keyManagers.getKeyManagers(), trustManagers.getTrustManagers(), null);
    SSLServerSocket server =
        (SSLServerSocket) context.getServerSocketFactory().createServerSocket(0);
    server.setNeedClientAuth(true);
    return server;
  }

  private static CompletableFuture<X509Certificate> accept(SSLServerSocket server) {
    return CompletableFuture.supplyAsync(
        () -> {
          try (SSLSocket socket = (SSLSocket) server.accept()) {
            socket.startHandshake();
            socket.getInputStream().read();
            return (X509Certificate) socket.getSession().getPeerCertificates()[0];
          } catch (IOException e) {
            return null;
          }
        });
  }
}
