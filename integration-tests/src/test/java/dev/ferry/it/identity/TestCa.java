package dev.ferry.it.identity;

import java.io.IOException;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v2CRLBuilder;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CRLConverter;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/** A certificate authority made by a test (EC P-256, Bouncy Castle), with PEM files on disk. */
public final class TestCa {
  private static final SecureRandom RANDOM = new SecureRandom();

  private final KeyPair keys;
  private final X509Certificate certificate;

  private TestCa(KeyPair keys, X509Certificate certificate) {
    this.keys = keys;
    this.certificate = certificate;
  }

  /** A new self-signed CA valid for a year, named {@code CN=<name>}. */
  public static TestCa create(String name) throws GeneralSecurityException {
    KeyPair keys = ecKeys();
    X500Name subject = new X500Name("CN=" + name);
    Instant now = Instant.now();
    X509v3CertificateBuilder builder =
        new JcaX509v3CertificateBuilder(
            subject,
            serial(),
            Date.from(now.minusSeconds(60)),
            Date.from(now.plus(Duration.ofDays(365))),
            subject,
            keys.getPublic());
    try {
      builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
      builder.addExtension(
          Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
      return new TestCa(keys, convert(builder, keys));
    } catch (IOException e) {
      throw new GeneralSecurityException("cannot build the CA " + name, e);
    }
  }

  /** A new EC P-256 key pair. */
  public static KeyPair ecKeys() throws GeneralSecurityException {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
    return generator.generateKeyPair();
  }

  /** The CA's certificate. */
  public X509Certificate certificate() {
    return certificate;
  }

  /**
   * Issues a client certificate ({@code extendedKeyUsage=clientAuth}).
   *
   * @param name the subject's CN
   * @param key the subject's public key
   * @param validity how long from now it is valid
   */
  public X509Certificate client(String name, PublicKey key, Duration validity)
      throws GeneralSecurityException {
    return issue(name, key, validity, KeyPurposeId.id_kp_clientAuth, List.of());
  }

  /** Issues a server certificate for these IP addresses and DNS names. */
  public X509Certificate server(String name, PublicKey key, List<String> addresses)
      throws GeneralSecurityException {
    return issue(name, key, Duration.ofDays(30), KeyPurposeId.id_kp_serverAuth, addresses);
  }

  private X509Certificate issue(
      String name, PublicKey key, Duration validity, KeyPurposeId purpose, List<String> names)
      throws GeneralSecurityException {
    Instant now = Instant.now();
    X509v3CertificateBuilder builder =
        new JcaX509v3CertificateBuilder(
            certificate,
            serial(),
            Date.from(now.minusSeconds(60)),
            Date.from(now.plus(validity)),
            new X500Name("CN=" + name),
            key);
    try {
      builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
      builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(purpose));
      if (!names.isEmpty()) {
        builder.addExtension(Extension.subjectAlternativeName, false, altNames(names));
      }
      return convert(builder, keys);
    } catch (IOException e) {
      throw new GeneralSecurityException("cannot issue a certificate for " + name, e);
    }
  }

  private static GeneralNames altNames(List<String> names) {
    List<GeneralName> all = new ArrayList<>();
    for (String name : names) {
      boolean ip = name.chars().allMatch(c -> c == '.' || Character.isDigit(c));
      all.add(new GeneralName(ip ? GeneralName.iPAddress : GeneralName.dNSName, name));
    }
    return new GeneralNames(all.toArray(GeneralName[]::new));
  }

  /** An empty CRL of this CA, valid for a day, in PEM. */
  public String emptyCrl() throws GeneralSecurityException {
    Instant now = Instant.now();
    X509v2CRLBuilder builder =
        new X509v2CRLBuilder(
            new X500Name(certificate.getSubjectX500Principal().getName()),
            Date.from(now.minusSeconds(60)));
    builder.setNextUpdate(Date.from(now.plus(Duration.ofDays(1))));
    return pem(new JcaX509CRLConverter().getCRL(builder.build(signer(keys))));
  }

  /** Writes the CA's key (PKCS#8 PEM, 0600) and certificate (PEM). */
  public void write(Path key, Path certificate) throws IOException {
    writeKey(key, keys);
    Files.writeString(certificate, pem(this.certificate), StandardCharsets.US_ASCII);
  }

  /** Writes a private key as PKCS#8 PEM, mode 0600. */
  public static void writeKey(Path file, KeyPair keys) throws IOException {
    Files.deleteIfExists(file);
    Files.createFile(
        file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    Files.writeString(
        file,
        pem(new org.bouncycastle.openssl.jcajce.JcaPKCS8Generator(keys.getPrivate(), null)),
        StandardCharsets.US_ASCII);
  }

  /** Any Bouncy Castle PEM object (certificate, CRL, CSR, key) as PEM text. */
  public static String pem(Object object) {
    StringWriter text = new StringWriter();
    try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
      writer.writeObject(object);
    } catch (IOException e) {
      throw new IllegalStateException("cannot write PEM", e);
    }
    return text.toString();
  }

  private static X509Certificate convert(X509v3CertificateBuilder builder, KeyPair signer)
      throws GeneralSecurityException {
    return new JcaX509CertificateConverter().getCertificate(builder.build(signer(signer)));
  }

  static ContentSigner signer(KeyPair keys) throws GeneralSecurityException {
    try {
      String algorithm =
          keys.getPrivate().getAlgorithm().equals("RSA") ? "SHA256withRSA" : "SHA256withECDSA";
      return new JcaContentSignerBuilder(algorithm).build(keys.getPrivate());
    } catch (OperatorCreationException e) {
      throw new GeneralSecurityException("cannot sign", e);
    }
  }

  private static BigInteger serial() {
    return new BigInteger(128, RANDOM);
  }
}
