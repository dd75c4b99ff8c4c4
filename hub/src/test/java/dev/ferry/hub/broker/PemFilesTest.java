package dev.ferry.hub.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PemFilesTest {
  @TempDir Path dir;

  @Test
  void keyAndChain_readsAPkcs8KeyAndTheChainInOrder() throws IOException {
    TestCa ca = new TestCa("Test CA");
    var issued = ca.issue("ferry-hub", List.of());
    Path cert = TestCa.writePem(dir.resolve("hub.crt"), issued.chain().get(0), ca.certificate());
    Path key = TestCa.writePem(dir.resolve("hub.key"), issued.key());
    var read = PemFiles.keyAndChain(cert, key);
    assertEquals(issued.chain(), read.chain());
    assertEquals(issued.key(), read.key());
  }

  @Test
  void certificates_refusesAFileWithoutOne() throws IOException {
    Path empty = Files.writeString(dir.resolve("empty.pem"), "nothing here\n");
    var e = assertThrows(IllegalArgumentException.class, () -> PemFiles.certificates(empty));
    assertEquals(empty + ": no PEM certificate found", e.getMessage());
  }

  @Test
  void keyAndChain_refusesAKeyFileWithACertificate() throws IOException {
    Path cert = TestCa.writePem(dir.resolve("ca.crt"), new TestCa("Test CA").certificate());
    var e = assertThrows(IllegalArgumentException.class, () -> PemFiles.keyAndChain(cert, cert));
    assertEquals(cert + ": expected a private key, got a X509CertificateHolder", e.getMessage());
  }
}
