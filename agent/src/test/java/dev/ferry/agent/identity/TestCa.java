package dev.ferry.agent.identity;

import java.io.StringReader;
import java.math.BigInteger;
import java.security.KeyPair;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Date;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequest;

/** A throwaway certificate authority made with bcpkix for the tests. */
final class TestCa {
  final KeyPair keys = DeviceKeys.generate();
  final X509Certificate certificate;
  private long serial = 1;

  TestCa(String name) throws Exception {
    X500Principal subject = new X500Principal("CN=" + name);
    Instant now = Instant.now();
    X509v3CertificateBuilder builder =
        new JcaX509v3CertificateBuilder(
                subject,
                BigInteger.valueOf(serial++),
                Date.from(now.minusSeconds(60)),
                Date.from(now.plusSeconds(86_400)),
                subject,
                keys.getPublic())
            .addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
    certificate = sign(builder);
  }

  /** Certifies a CSR's key and subject for the given validity. */
  X509Certificate issue(String csrPem, Instant notBefore, Instant notAfter) throws Exception {
    JcaPKCS10CertificationRequest csr = new JcaPKCS10CertificationRequest(parse(csrPem));
    return issue(
        new X500Principal(csr.getSubject().toString()),
        csr.getPublicKey(),
        notBefore,
        notAfter,
        null);
  }

  /** Certifies a server key for 127.0.0.1. */
  X509Certificate server(PublicKey key) throws Exception {
    GeneralNames names = new GeneralNames(new GeneralName(GeneralName.iPAddress, "127.0.0.1"));
    Instant now = Instant.now();
    return issue(
        new X500Principal("CN=127.0.0.1"), key, now.minusSeconds(60), now.plusSeconds(3600), names);
  }

  private X509Certificate issue(
      X500Principal subject, PublicKey key, Instant notBefore, Instant notAfter, GeneralNames names)
      throws Exception {
    X509v3CertificateBuilder builder =
        new JcaX509v3CertificateBuilder(
            certificate,
            BigInteger.valueOf(serial++),
            Date.from(notBefore),
            Date.from(notAfter),
            subject,
            key);
    if (names != null) {
      builder.addExtension(Extension.subjectAlternativeName, false, names);
    }
    return sign(builder);
  }

  static PKCS10CertificationRequest parse(String csrPem) throws Exception {
    try (PEMParser parser = new PEMParser(new StringReader(csrPem))) {
      return (PKCS10CertificationRequest) parser.readObject();
    }
  }

  static String pem(Object... objects) throws Exception {
    java.io.StringWriter out = new java.io.StringWriter();
    try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
      for (Object object : objects) {
        writer.writeObject(object);
      }
    }
    return out.toString();
  }

  private X509Certificate sign(X509v3CertificateBuilder builder) throws Exception {
    var signer = new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate());
    return new JcaX509CertificateConverter().getCertificate(builder.build(signer));
  }
}
