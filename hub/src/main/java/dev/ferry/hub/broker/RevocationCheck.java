package dev.ferry.hub.broker;

import java.math.BigInteger;
import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.function.Predicate;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * Trusts client certificates that chain to the device CA and whose serial is not revoked; checked
 * at every handshake, so a revoke refuses the next connection at once. Trusts no server.
 */
final class RevocationCheck extends X509ExtendedTrustManager {
  private final X509ExtendedTrustManager chainCheck;
  private final Predicate<BigInteger> revoked;

  RevocationCheck(X509ExtendedTrustManager chainCheck, Predicate<BigInteger> revoked) {
    this.chainCheck = chainCheck;
    this.revoked = revoked;
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
      throws CertificateException {
    chainCheck.checkClientTrusted(chain, authType, engine);
    requireNotRevoked(chain);
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
      throws CertificateException {
    chainCheck.checkClientTrusted(chain, authType, socket);
    requireNotRevoked(chain);
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType)
      throws CertificateException {
    chainCheck.checkClientTrusted(chain, authType);
    requireNotRevoked(chain);
  }

  private void requireNotRevoked(X509Certificate[] chain) throws CertificateException {
    BigInteger serial = chain[0].getSerialNumber();
    if (revoked.test(serial)) {
      throw new CertificateException(
          "client certificate "
              + chain[0].getSubjectX500Principal().getName()
              + " serial "
              + serial.toString(16)
              + " is revoked");
    }
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
      throws CertificateException {
    throw new CertificateException("the broker trusts no server certificate");
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
      throws CertificateException {
    throw new CertificateException("the broker trusts no server certificate");
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType)
      throws CertificateException {
    throw new CertificateException("the broker trusts no server certificate");
  }

  @Override
  public X509Certificate[] getAcceptedIssuers() {
    return chainCheck.getAcceptedIssuers();
  }
}
