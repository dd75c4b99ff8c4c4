package dev.ferry.agent.identity;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPrivateKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPublicKeySpec;
import java.util.List;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.jce.ECNamedCurveTable;
import org.bouncycastle.jce.spec.ECNamedCurveParameterSpec;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;
import org.bouncycastle.util.io.pem.PemObject;

/**
 * The device's key pair (EC P-256, made on the device), its PEM forms and its certificate signing
 * requests (PKCS#10, subject {@code CN=<device id>}), through Bouncy Castle's bcpkix.
 */
public final class DeviceKeys {
  private static final ECNamedCurveParameterSpec P256 =
      ECNamedCurveTable.getParameterSpec("secp256r1");

  private DeviceKeys() {}

  /** A new EC P-256 key pair. */
  public static KeyPair generate() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
      generator.initialize(new ECGenParameterSpec("secp256r1"));
      return generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("this JVM cannot make EC P-256 keys", e);
    }
  }

  /**
   * The private key as PKCS#8 PEM ({@code PRIVATE KEY}).
   *
   * @param key the key
   * @return the PEM text
   */
  public static String pkcs8Pem(PrivateKey key) {
    return pem(new PemObject("PRIVATE KEY", key.getEncoded()));
  }

  /**
   * Reads a PKCS#8 PEM private key.
   *
   * @param pem the PEM text
   * @return the key
   * @throws InvalidIdentityException if the text holds no PKCS#8 key
   */
  public static PrivateKey privateKey(String pem) {
    try (PEMParser parser = new PEMParser(new StringReader(pem))) {
      if (parser.readObject() instanceof PrivateKeyInfo info) {
        return new JcaPEMKeyConverter().getPrivateKey(info);
      }
    } catch (IOException e) {
      // answered below, without the key's text
    }
    throw new InvalidIdentityException("device.key holds no PKCS#8 private key");
  }

  /**
   * The public half of an EC P-256 private key (Q = d·G), so that a key read back from {@code
   * device.key} signs requests for itself.
   *
   * @param key the private key
   * @return its public key
   */
  public static PublicKey publicKey(PrivateKey key) {
    if (!(key instanceof ECPrivateKey ec)) {
      throw new InvalidIdentityException("device.key is not an EC key: " + key.getAlgorithm());
    }
    var q = P256.getG().multiply(ec.getS()).normalize();
    var point = new ECPoint(q.getAffineXCoord().toBigInteger(), q.getAffineYCoord().toBigInteger());
    try {
      return KeyFactory.getInstance("EC")
          .generatePublic(new ECPublicKeySpec(point, ec.getParams()));
    } catch (GeneralSecurityException e) {
      throw new InvalidIdentityException("device.key is not a P-256 key: " + e.getMessage());
    }
  }

  /**
   * A certificate signing request for the device, PEM.
   *
   * @param deviceId the subject's CN
   * @param publicKey the key to certify
   * @param privateKey its private half, which signs the request
   * @return the PEM text
   */
  public static String csr(String deviceId, PublicKey publicKey, PrivateKey privateKey) {
    try {
      var request =
          new JcaPKCS10CertificationRequestBuilder(new X500Principal("CN=" + deviceId), publicKey)
              .build(new JcaContentSignerBuilder("SHA256withECDSA").build(privateKey));
      return pem(new PemObject("CERTIFICATE REQUEST", request.getEncoded()));
    } catch (OperatorCreationException | IOException e) {
      throw new IllegalStateException("cannot sign a certificate request", e);
    }
  }

  /**
   * Reads the certificates of a PEM text.
   *
   * @param pem one or more {@code CERTIFICATE} blocks
   * @param name what the text is, for the message
   * @return the certificates, at least one
   * @throws InvalidIdentityException if the text holds none
   */
  public static List<X509Certificate> certificates(String pem, String name) {
    try {
      var parsed =
          CertificateFactory.getInstance("X.509")
              .generateCertificates(new ByteArrayInputStream(pem.getBytes(StandardCharsets.UTF_8)));
      List<X509Certificate> certificates =
          parsed.stream().map(X509Certificate.class::cast).toList();
      if (!certificates.isEmpty()) {
        return certificates;
      }
    } catch (CertificateException e) {
      throw new InvalidIdentityException(name + " holds no valid certificate: " + e.getMessage());
    }
    throw new InvalidIdentityException(name + " holds no certificate");
  }

  private static String pem(PemObject object) {
    StringWriter out = new StringWriter();
    try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
      writer.writeObject(object);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString();
  }
}
