package dev.ferry.hub.broker;

import dev.ferry.hub.identity.Pem;
import dev.ferry.hub.identity.TlsMaterial.KeyAndChain;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/** A throwaway EC P-256 certificate authority for tests, made with bcpkix. */
public final class TestCa {
  private final KeyPair key = newKey();
  private final X509Certificate certificate;

  /**
   * A new self-signed CA.
   *
   * @param name its common name
   */
  public TestCa(String name) {
    certificate = sign(new X500Name("CN=" + name), key, true, List.of());
  }

  /** The CA certificate. */
  public X509Certificate certificate() {
    return certificate;
  }

  /**
   * Issues a certificate.
   *
   * @param commonName the subject CN
   * @param names DNS names or IP addresses for the subject alternative names
   * @return the key and chain (leaf, CA)
   */
  public KeyAndChain issue(String commonName, List<String> names) {
    KeyPair leaf = newKey();
    X509Certificate issued = sign(new X500Name("CN=" + commonName), leaf, false, names);
    return new KeyAndChain(leaf.getPrivate(), List.of(issued, certificate));
  }

  private X509Certificate sign(X500Name subject, KeyPair subjectKey, boolean ca, List<String> san) {
    Instant now = Instant.now();
    X500Name issuer = ca ? subject : new X500Name(certificate.getSubjectX500Principal().getName());
    try {
      X509v3CertificateBuilder builder =
          new JcaX509v3CertificateBuilder(
              issuer,
              new BigInteger(128, new SecureRandom()),
              Date.from(now.minus(Duration.ofMinutes(1))),
              Date.from(now.plus(Duration.ofDays(1))),
              subject,
              subjectKey.getPublic());
      builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(ca));
      if (!san.isEmpty()) {
        builder.addExtension(Extension.subjectAlternativeName, false, altNames(san));
      }
      var signer = new JcaContentSignerBuilder("SHA256withECDSA").build(key.getPrivate());
      return new JcaX509CertificateConverter().getCertificate(builder.build(signer));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (GeneralSecurityException | OperatorCreationException e) {
      throw new IllegalStateException(e);
    }
  }

  private static GeneralNames altNames(List<String> names) {
    return new GeneralNames(
        names.stream()
            .map(
                n ->
                    new GeneralName(
                        n.matches("[0-9.]+") ? GeneralName.iPAddress : GeneralName.dNSName, n))
            .toArray(GeneralName[]::new));
  }

  /**
   * Writes PEM objects (certificates, keys as PKCS#8) to a file.
   *
   * @param file the file
   * @param objects what to write, in order
   * @return the file
   */
  public static Path writePem(Path file, Object... objects) {
    try {
      return Files.writeString(file, Pem.write(objects));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static KeyPair newKey() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
      generator.initialize(new ECGenParameterSpec("secp256r1"));
      return generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }
}
