package dev.ferry.agent.identity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DeviceKeysTest {
  @TempDir Path dataDir;

  @Test
  void csr_verifiesWithItsPublicKey_andNamesTheDevice() throws Exception {
    KeyPair keys = DeviceKeys.generate();
    String pem = DeviceKeys.csr("edge-1", keys.getPublic(), keys.getPrivate());
    JcaPKCS10CertificationRequest csr = new JcaPKCS10CertificationRequest(TestCa.parse(pem));
    assertTrue(
        csr.isSignatureValid(new JcaContentVerifierProviderBuilder().build(csr.getPublicKey())));
    assertEquals("CN=edge-1", csr.getSubject().toString());
    assertEquals(keys.getPublic(), csr.getPublicKey());
  }

  @Test
  void privateKey_readsBackItsPem_andDerivesThePublicKey() {
    KeyPair keys = DeviceKeys.generate();
    String pem = DeviceKeys.pkcs8Pem(keys.getPrivate());
    assertTrue(pem.startsWith("-----BEGIN PRIVATE KEY-----"), pem.lines().findFirst().orElse(""));
    assertEquals(keys.getPrivate(), DeviceKeys.privateKey(pem));
    assertEquals(keys.getPublic(), DeviceKeys.publicKey(DeviceKeys.privateKey(pem)));
  }

  @Test
  void privateKey_refusesOtherText_withoutQuotingIt() {
    var e = assertThrows(InvalidIdentityException.class, () -> DeviceKeys.privateKey("secret-ish"));
    assertEquals("device.key holds no PKCS#8 private key", e.getMessage());
  }

  @Test
  void write_makesTheDirectoryOwnerOnly_andTheFiles0600() throws Exception {
    IdentityFiles files = IdentityFiles.under(dataDir);
    files.write(files.key(), DeviceKeys.pkcs8Pem(DeviceKeys.generate().getPrivate()));
    files.write(files.key(), DeviceKeys.pkcs8Pem(DeviceKeys.generate().getPrivate()));
    assertEquals(
        "rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(files.dir())));
    assertEquals(
        "rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(files.key())));
    try (var listing = Files.list(files.dir())) {
      assertEquals(1, listing.count(), "no temporary file left");
    }
  }

  @Test
  void credential_toStringHidesThePassword() {
    DeviceCredential credential = new DeviceCredential("edge-1", "fdp_secret");
    assertEquals("DeviceCredential[edge-1]", credential.toString());
    assertFalse(credential.basic().contains("fdp_secret"));
  }
}
