package dev.ferry.hub.broker;

import dev.ferry.hub.identity.TlsMaterial.KeyAndChain;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;

/** JDK key and trust managers from in-memory keys and certificates; nothing is written to disk. */
final class TlsContexts {
  private static final char[] IN_MEMORY = new char[0];

  private TlsContexts() {}

  /**
   * A client socket factory that presents an identity and trusts only some CAs.
   *
   * @param identity the client key and chain
   * @param trusted the CA certificates the server's certificate must chain to
   * @return the factory
   * @throws GeneralSecurityException if the key or certificates are unusable
   */
  static SSLSocketFactory clientSocketFactory(KeyAndChain identity, List<X509Certificate> trusted)
      throws GeneralSecurityException {
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(keyManagers(identity), new TrustManager[] {trustManager(trusted)}, null);
    return context.getSocketFactory();
  }

  /**
   * A PKIX trust manager for some CAs.
   *
   * @param trusted the CA certificates
   * @return the trust manager
   * @throws GeneralSecurityException if a certificate is unusable
   */
  static X509ExtendedTrustManager trustManager(List<X509Certificate> trusted)
      throws GeneralSecurityException {
    KeyStore store = emptyStore();
    for (int i = 0; i < trusted.size(); i++) {
      store.setCertificateEntry("ca-" + i, trusted.get(i));
    }
    TrustManagerFactory factory =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    factory.init(store);
    for (TrustManager manager : factory.getTrustManagers()) {
      if (manager instanceof X509ExtendedTrustManager x509) {
        return x509;
      }
    }
    throw new KeyStoreExceptionWithoutX509();
  }

  private static KeyManager[] keyManagers(KeyAndChain identity) throws GeneralSecurityException {
    KeyStore store = emptyStore();
    store.setKeyEntry(
        "identity", identity.key(), IN_MEMORY, identity.chain().toArray(X509Certificate[]::new));
    KeyManagerFactory factory =
        KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    factory.init(store, IN_MEMORY);
    return factory.getKeyManagers();
  }

  private static KeyStore emptyStore() throws GeneralSecurityException {
    KeyStore store = KeyStore.getInstance("PKCS12");
    try {
      store.load(null, null);
    } catch (IOException e) {
      throw new java.security.KeyStoreException("cannot create an in-memory key store", e);
    }
    return store;
  }

  /** The JDK offered no X.509 trust manager (never on a standard JDK). */
  private static final class KeyStoreExceptionWithoutX509 extends GeneralSecurityException {
    private static final long serialVersionUID = 1L;

    KeyStoreExceptionWithoutX509() {
      super("the JDK's default TrustManagerFactory offers no X509ExtendedTrustManager");
    }
  }
}
