package dev.ferry.agent.identity;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;

/**
 * TLS for the broker from the identity files: the device key and certificate as client certificate,
 * and trust in {@code ferry.agent.mqtt.ca-file} or else the device CA ({@code identity/ca.crt}),
 * else the JVM's trust store. The files are read at each connect, so a renewed certificate is used
 * from the next one on.
 */
public final class DeviceTls {
  private static final char[] NO_PASSWORD = new char[0];

  private DeviceTls() {}

  /**
   * A socket factory that reads the files at each new socket.
   *
   * @param files the identity files; without a complete identity no client certificate is sent
   * @param caFile {@code ferry.agent.mqtt.ca-file}
   * @return the factory
   */
  public static SSLSocketFactory socketFactory(IdentityFiles files, Optional<Path> caFile) {
    return new ReloadingSocketFactory(() -> context(files, caFile).getSocketFactory());
  }

  /**
   * An SSL context from the files as they are now.
   *
   * @param files the identity files
   * @param caFile {@code ferry.agent.mqtt.ca-file}
   * @return the context
   * @throws IOException if a file cannot be read or holds no key or certificate
   */
  public static SSLContext context(IdentityFiles files, Optional<Path> caFile) throws IOException {
    try {
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(keyManagers(files), trustManagers(files, caFile), null);
      return context;
    } catch (InvalidIdentityException e) {
      throw new IOException(e.getMessage(), e);
    } catch (GeneralSecurityException e) {
      throw new IOException("identity in " + files.dir() + " does not load: " + e.getMessage(), e);
    }
  }

  private static KeyManager[] keyManagers(IdentityFiles files)
      throws IOException, GeneralSecurityException {
    if (!files.complete()) {
      return null;
    }
    PrivateKey key = DeviceKeys.privateKey(files.read(files.key()));
    List<X509Certificate> chain =
        DeviceKeys.certificates(files.read(files.certificate()), "device.crt");
    KeyStore store = KeyStore.getInstance("PKCS12");
    store.load(null, null);
    store.setKeyEntry("device", key, NO_PASSWORD, chain.toArray(X509Certificate[]::new));
    KeyManagerFactory factory =
        KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    factory.init(store, NO_PASSWORD);
    return factory.getKeyManagers();
  }

  private static TrustManager[] trustManagers(IdentityFiles files, Optional<Path> caFile)
      throws IOException, GeneralSecurityException {
    Optional<Path> trusted = caFile.or(() -> Optional.of(files.ca()).filter(Files::isRegularFile));
    if (trusted.isEmpty()) {
      return null;
    }
    Path file = trusted.get();
    KeyStore store = KeyStore.getInstance("PKCS12");
    store.load(null, null);
    List<X509Certificate> cas = DeviceKeys.certificates(Files.readString(file), file.toString());
    for (int i = 0; i < cas.size(); i++) {
      store.setCertificateEntry("ca-" + i, cas.get(i));
    }
    TrustManagerFactory factory =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    factory.init(store);
    return factory.getTrustManagers();
  }
}
