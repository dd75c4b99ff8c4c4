package dev.ferry.hub.identity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.security.cert.CertPathValidator;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The CA issues certificates a PKIX validator accepts, and CRLs it signed. */
class CertificateAuthorityTest {
  private static final Instant NOW = Instant.parse("2026-12-01T10:00:00Z");
  private final CertificateAuthority ca = CertificateAuthority.generate("test CA", NOW, 10);

  private void validate(X509Certificate leaf, X509Certificate anchor) throws Exception {
    var path = CertificateFactory.getInstance("X.509").generateCertPath(List.of(leaf));
    PKIXParameters parameters = new PKIXParameters(Set.of(new TrustAnchor(anchor, null)));
    parameters.setRevocationEnabled(false);
    parameters.setDate(Date.from(NOW.plusSeconds(60)));
    CertPathValidator.getInstance("PKIX").validate(path, parameters);
  }

  @Test
  void aClientCertificate_chainsToTheCa_withTheDeviceIdAsCn() throws Exception {
    var keys = CertificateAuthority.newKeyPair();
    X509Certificate leaf = ca.issueClient("edge-01", keys.getPublic(), NOW, NOW.plusSeconds(3600));

    validate(leaf, ca.certificate());
    assertEquals("CN=edge-01", leaf.getSubjectX500Principal().getName());
    assertEquals(List.of("1.3.6.1.5.5.7.3.2"), leaf.getExtendedKeyUsage());
    assertEquals(keys.getPublic(), leaf.getPublicKey());
  }

  @Test
  void aCertificateFromAnotherCa_doesNotValidate() {
    CertificateAuthority other = CertificateAuthority.generate("other CA", NOW, 10);
    var keys = CertificateAuthority.newKeyPair();
    X509Certificate leaf =
        other.issueClient("edge-01", keys.getPublic(), NOW, NOW.plusSeconds(3600));

    assertThrows(
        java.security.cert.CertPathValidatorException.class,
        () -> validate(leaf, ca.certificate()));
  }

  @Test
  void aServerCertificate_namesItsHostsAndAddresses() throws Exception {
    var keys = CertificateAuthority.newKeyPair();
    X509Certificate leaf =
        ca.issueServer(
            List.of("localhost", "127.0.0.1", "hub.example"),
            keys.getPublic(),
            NOW,
            NOW.plusSeconds(3600));

    validate(leaf, ca.certificate());
    var names = leaf.getSubjectAlternativeNames().stream().map(n -> n.get(1)).toList();
    assertEquals(List.of("localhost", "127.0.0.1", "hub.example"), names);
    assertEquals(List.of("1.3.6.1.5.5.7.3.1"), leaf.getExtendedKeyUsage());
  }

  @Test
  void theCrl_isSignedByTheCa_andListsTheRevokedSerial() throws Exception {
    var keys = CertificateAuthority.newKeyPair();
    X509Certificate leaf = ca.issueClient("edge-01", keys.getPublic(), NOW, NOW.plusSeconds(3600));
    BigInteger serial = leaf.getSerialNumber();

    X509CRL crl = ca.crl(Map.of(serial, NOW), NOW, NOW.plusSeconds(86400));

    crl.verify(ca.certificate().getPublicKey());
    assertTrue(crl.isRevoked(leaf));
    assertEquals(1, crl.getRevokedCertificates().size());
    X509CRL reread =
        (X509CRL)
            CertificateFactory.getInstance("X.509")
                .generateCRL(
                    new java.io.ByteArrayInputStream(
                        Pem.write(crl).getBytes(java.nio.charset.StandardCharsets.US_ASCII)));
    assertTrue(reread.isRevoked(leaf));
  }

  @Test
  void pem_roundTripsTheKeyAndTheCertificate() {
    String key = Pem.write(ca.key());
    String certificate = Pem.write(ca.certificate());

    assertEquals(ca.key(), Pem.privateKey(key));
    assertEquals(ca.certificate(), Pem.certificates(certificate).get(0));
    assertThrows(IllegalArgumentException.class, () -> Pem.privateKey(certificate));
    assertThrows(IllegalArgumentException.class, () -> Pem.certificates("not pem"));
  }

  @Test
  void serials_areRandomAndPositive_128BitsEncoded() {
    var keys = CertificateAuthority.newKeyPair();
    BigInteger first =
        ca.issueClient("a", keys.getPublic(), NOW, NOW.plusSeconds(60)).getSerialNumber();
    BigInteger second =
        ca.issueClient("a", keys.getPublic(), NOW, NOW.plusSeconds(60)).getSerialNumber();

    assertTrue(first.signum() > 0, first.toString());
    assertEquals(16, first.toByteArray().length);
    assertTrue(!first.equals(second), "two serials alike: " + first);
  }

  @Test
  void theCaCertificate_isACaForTenYears_andItsKeyIsWrittenAsPkcs8() {
    X509Certificate certificate = ca.certificate();

    assertEquals(0, certificate.getBasicConstraints());
    assertEquals(Instant.parse("2036-12-01T10:00:00Z"), certificate.getNotAfter().toInstant());
    assertTrue(Pem.write(ca.key()).startsWith("-----BEGIN PRIVATE KEY-----\n"));
  }
}
