package dev.ferry.hub.identity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.ferry.protocol.json.FieldException;
import java.security.KeyPairGenerator;
import org.junit.jupiter.api.Test;

/** A device's request passes only when well formed, self-signed, for its own id, and strong. */
class CsrCheckTest {
  @Test
  void aGoodRequest_yieldsItsKey() {
    TestCsr csr = TestCsr.of("edge-01");

    CsrCheck.Checked checked = CsrCheck.check(csr.pem(), "edge-01");

    assertEquals(csr.keys().getPublic(), checked.key());
    assertEquals(64, checked.keyDigest().length());
  }

  @Test
  void aRequestForAnotherId_isRefused() {
    FieldException e =
        assertThrows(
            FieldException.class, () -> CsrCheck.check(TestCsr.of("edge-02").pem(), "edge-01"));
    assertEquals("csr subject CN must be the deviceId 'edge-01', got 'edge-02'", e.getMessage());
  }

  @Test
  void garbage_isRefusedNamingTheField() {
    FieldException e = assertThrows(FieldException.class, () -> CsrCheck.check("hello", "edge-01"));
    assertEquals("csr", e.field());
    assertEquals(
        "csr must be a PEM PKCS#10 certificate request: expected one PEM block, found 0",
        e.getMessage());
  }

  @Test
  void aCertificateInsteadOfARequest_isRefused() {
    String certificate =
        Pem.write(CertificateAuthority.generate("x", java.time.Instant.now(), 1).certificate());
    FieldException e =
        assertThrows(FieldException.class, () -> CsrCheck.check(certificate, "edge-01"));
    assertEquals(
        "csr must be a PEM PKCS#10 certificate request: expected a CERTIFICATE REQUEST block, got"
            + " a X509CertificateHolder",
        e.getMessage());
  }

  @Test
  void aTamperedRequest_failsItsSignature() {
    String pem = TestCsr.of("edge-01").pem();
    String body = pem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
    byte[] der = java.util.Base64.getDecoder().decode(body);
    der[der.length - 5] ^= 0x01;
    String tampered =
        "-----BEGIN CERTIFICATE REQUEST-----\n"
            + java.util.Base64.getMimeEncoder().encodeToString(der)
            + "\n-----END CERTIFICATE REQUEST-----\n";
    FieldException e =
        assertThrows(FieldException.class, () -> CsrCheck.check(tampered, "edge-01"));
    assertEquals("csr", e.field());
  }

  @Test
  void aSmallRsaKey_isRefused() throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
    generator.initialize(1024);
    var keys = generator.generateKeyPair();
    var request =
        new org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder(
                new javax.security.auth.x500.X500Principal("CN=edge-01"), keys.getPublic())
            .build(
                new org.bouncycastle.operator.jcajce.JcaContentSignerBuilder("SHA256withRSA")
                    .build(keys.getPrivate()));
    FieldException e =
        assertThrows(FieldException.class, () -> CsrCheck.check(Pem.write(request), "edge-01"));
    assertEquals(
        "csr key must be EC P-256 or RSA of at least 2048 bits, got RSA 1024 bits", e.getMessage());
  }

  @Test
  void anRsa2048Request_passes() throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
    generator.initialize(2048);
    var keys = generator.generateKeyPair();
    var request =
        new org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder(
                new javax.security.auth.x500.X500Principal("CN=edge-01"), keys.getPublic())
            .build(
                new org.bouncycastle.operator.jcajce.JcaContentSignerBuilder("SHA256withRSA")
                    .build(keys.getPrivate()));
    assertEquals(keys.getPublic(), CsrCheck.check(Pem.write(request), "edge-01").key());
  }

  @Test
  void aRequestSignedByAnotherKey_isRefused() throws Exception {
    var request =
        new org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder(
                new javax.security.auth.x500.X500Principal("CN=edge-01"),
                CertificateAuthority.newKeyPair().getPublic())
            .build(
                new org.bouncycastle.operator.jcajce.JcaContentSignerBuilder("SHA256withECDSA")
                    .build(CertificateAuthority.newKeyPair().getPrivate()));
    FieldException e =
        assertThrows(FieldException.class, () -> CsrCheck.check(Pem.write(request), "edge-01"));
    assertEquals("csr signature does not verify with the key it carries", e.getMessage());
  }

  @Test
  void noRequest_isRefused() {
    FieldException e = assertThrows(FieldException.class, () -> CsrCheck.check(null, "edge-01"));
    assertEquals("csr is missing", e.getMessage());
  }
}
