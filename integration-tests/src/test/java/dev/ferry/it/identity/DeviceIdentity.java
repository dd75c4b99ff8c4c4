package dev.ferry.it.identity;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;

/**
 * An MQTT client's identity: its key, its certificate chain, the CAs it trusts for the broker and,
 * for the hub's embedded broker, its MQTT user name and password.
 *
 * @param name the user name and certificate CN (a device id, or {@code ferry-hub})
 * @param key the private key
 * @param chain its certificate first
 * @param trusted the CAs that may sign the broker's certificate
 * @param password the MQTT password, or null where the certificate is the credential (Mosquitto)
 */
public record DeviceIdentity(
    String name,
    PrivateKey key,
    List<X509Certificate> chain,
    List<X509Certificate> trusted,
    String password) {
  public DeviceIdentity {
    chain = List.copyOf(chain);
    trusted = List.copyOf(trusted);
  }

  /** Names the identity, never its key or password. */
  @Override
  public String toString() {
    return "DeviceIdentity[" + name + "]";
  }

  /** The same identity trusting other CAs for the broker. */
  public DeviceIdentity trusting(List<X509Certificate> cas) {
    return new DeviceIdentity(name, key, chain, cas, password);
  }

  /** The same identity presenting a password (or none). */
  public DeviceIdentity withPassword(String other) {
    return new DeviceIdentity(name, key, chain, trusted, other);
  }

  /** Paho options: TLS with this key and trust, user name and password if any, clean session. */
  public MqttConnectOptions options() throws GeneralSecurityException {
    MqttConnectOptions options = new MqttConnectOptions();
    options.setSocketFactory(socketFactory());
    options.setHttpsHostnameVerificationEnabled(true);
    options.setCleanSession(true);
    options.setConnectionTimeout(10);
    if (password != null) {
      options.setUserName(name);
      options.setPassword(password.toCharArray());
    }
    return options;
  }

  /** A TLS socket factory presenting this identity and trusting {@link #trusted}. */
  public SSLSocketFactory socketFactory() throws GeneralSecurityException {
    char[] secret = "test".toCharArray();
    KeyStore keys = KeyStore.getInstance("PKCS12");
    try {
      keys.load(null, null);
    } catch (java.io.IOException e) {
      throw new GeneralSecurityException("cannot make a key store", e);
    }
    keys.setKeyEntry("identity", key, secret, chain.toArray(Certificate[]::new));
    KeyManagerFactory keyManagers =
        KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    keyManagers.init(keys, secret);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(keyManagers.getKeyManagers(), trustManagers(trusted).getTrustManagers(), null);
    return context.getSocketFactory();
  }

  static TrustManagerFactory trustManagers(List<X509Certificate> cas)
      throws GeneralSecurityException {
    KeyStore trust = KeyStore.getInstance("PKCS12");
    try {
      trust.load(null, null);
    } catch (java.io.IOException e) {
      throw new GeneralSecurityException("cannot make a trust store", e);
    }
    for (int i = 0; i < cas.size(); i++) {
      trust.setCertificateEntry("ca-" + i, cas.get(i));
    }
    TrustManagerFactory factory =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    factory.init(trust);
    return factory;
  }

  /** The certificates of a PEM text (one or more). */
  public static List<X509Certificate> certificates(String pem) throws GeneralSecurityException {
    return CertificateFactory.getInstance("X.509")
        .generateCertificates(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)))
        .stream()
        .map(X509Certificate.class::cast)
        .toList();
  }

  /** The private key as PKCS#8 PEM. */
  public String keyPem() {
    try {
      return TestCa.pem(new org.bouncycastle.openssl.jcajce.JcaPKCS8Generator(key, null));
    } catch (java.io.IOException e) {
      throw new IllegalStateException("cannot write the key", e);
    }
  }

  /** The certificate chain as PEM. */
  public String chainPem() {
    StringBuilder pem = new StringBuilder();
    chain.forEach(c -> pem.append(TestCa.pem(c)));
    return pem.toString();
  }

  /** The trusted CAs as PEM. */
  public String trustedPem() {
    StringBuilder pem = new StringBuilder();
    trusted.forEach(c -> pem.append(TestCa.pem(c)));
    return pem.toString();
  }
}
