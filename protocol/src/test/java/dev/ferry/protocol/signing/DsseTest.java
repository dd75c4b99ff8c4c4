package dev.ferry.protocol.signing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.ferry.protocol.testing.Services;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.PublicKey;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DsseTest {
  private static final String TYPE = "http://example.com/HelloWorld";
  private static final byte[] HELLO = "hello world".getBytes(StandardCharsets.UTF_8);

  private final KeyPair alice = Ed25519.generate();
  private final KeyPair bob = Ed25519.generate();

  @TempDir Path dir;

  private static ThresholdVerifier verifier(int threshold, KeyPair... pairs) {
    Map<String, PublicKey> keys = new java.util.HashMap<>();
    for (KeyPair pair : pairs) {
      keys.put(KeyIds.of(pair.getPublic()), pair.getPublic());
    }
    return new ThresholdVerifier("test", keys, threshold);
  }

  @Test
  void pae_matchesTheSpecVector() {
    assertEquals(
        "DSSEv1 29 http://example.com/HelloWorld 11 hello world",
        new String(Pae.encode(TYPE, HELLO), StandardCharsets.UTF_8));
  }

  @Test
  void pae_countsBytesNotCharacters() {
    assertEquals(
        "DSSEv1 4 t/é 2 ü",
        new String(
            Pae.encode("t/é", "ü".getBytes(StandardCharsets.UTF_8)), StandardCharsets.UTF_8));
  }

  @Test
  void verify_returnsThePayloadBytesSigned() {
    Envelope envelope = new Signer(alice).sign(TYPE, HELLO);
    assertArrayEquals(HELLO, verifier(1, alice).verify(envelope, TYPE));
  }

  @Test
  void protocolSignature_verifiesWithOpenssl() throws Exception {
    Envelope envelope = new Signer(alice).sign(TYPE, HELLO);
    Path pub = Files.writeString(dir.resolve("pub.pem"), Ed25519.toPem(alice.getPublic()));
    Path pae = Files.write(dir.resolve("pae.bin"), Pae.encode(TYPE, HELLO));
    Path sig =
        Files.write(
            dir.resolve("sig.bin"), Base64.getDecoder().decode(envelope.signatures().get(0).sig()));
    String out =
        openssl(
            "pkeyutl",
            "-verify",
            "-pubin",
            "-inkey",
            pub.toString(),
            "-rawin",
            "-in",
            pae.toString(),
            "-sigfile",
            sig.toString());
    assertEquals("Signature Verified Successfully", out.strip());
  }

  @Test
  void opensslSignature_verifiesInProtocol() throws Exception {
    Path priv = dir.resolve("priv.pem");
    openssl("genpkey", "-algorithm", "ed25519", "-out", priv.toString());
    Path pubPem = dir.resolve("pub.pem");
    openssl("pkey", "-in", priv.toString(), "-pubout", "-out", pubPem.toString());
    Path pae = Files.write(dir.resolve("pae.bin"), Pae.encode(TYPE, HELLO));
    Path sig = dir.resolve("sig.bin");
    openssl(
        "pkeyutl",
        "-sign",
        "-inkey",
        priv.toString(),
        "-rawin",
        "-in",
        pae.toString(),
        "-out",
        sig.toString());

    PublicKey key = Ed25519.publicKeyFromPem(Files.readString(pubPem));
    Envelope envelope =
        new Envelope(
            TYPE,
            Base64.getEncoder().encodeToString(HELLO),
            List.of(
                new Signature(
                    KeyIds.of(key), Base64.getEncoder().encodeToString(Files.readAllBytes(sig)))));
    var verifier = new ThresholdVerifier("test", Map.of(KeyIds.of(key), key), 1);
    assertArrayEquals(HELLO, verifier.verify(envelope, TYPE));
    // and a key openssl wrote signs for openssl too
    Ed25519.privateKeyFromPem(Files.readString(priv));
  }

  @Test
  void verify_rejectsATamperedPayload() {
    Envelope signed = new Signer(alice).sign(TYPE, HELLO);
    Envelope tampered =
        new Envelope(
            TYPE,
            Base64.getEncoder().encodeToString("hello World".getBytes(StandardCharsets.UTF_8)),
            signed.signatures());
    assertEquals(
        "test envelope: 0 of 1 required signatures verified (unknown key ids [], bad signatures from ["
            + KeyIds.of(alice.getPublic()).substring(0, 12)
            + "])",
        assertThrows(
                UntrustedSignatureException.class, () -> verifier(1, alice).verify(tampered, TYPE))
            .getMessage());
  }

  @Test
  void verify_rejectsATamperedPayloadType() {
    Envelope signed = new Signer(alice).sign(TYPE, HELLO);
    Envelope tampered = new Envelope(TYPE + "x", signed.payload(), signed.signatures());
    assertThrows(
        UntrustedSignatureException.class, () -> verifier(1, alice).verify(tampered, TYPE + "x"));
  }

  @Test
  void verify_rejectsASignatureOverAnotherLengthPrefix() throws Exception {
    byte[] forged =
        "DSSEv1 29 http://example.com/HelloWorld 12 hello world".getBytes(StandardCharsets.UTF_8);
    var signer = java.security.Signature.getInstance("Ed25519");
    signer.initSign(alice.getPrivate());
    signer.update(forged);
    Envelope envelope =
        new Envelope(
            TYPE,
            Base64.getEncoder().encodeToString(HELLO),
            List.of(
                new Signature(
                    KeyIds.of(alice.getPublic()),
                    Base64.getEncoder().encodeToString(signer.sign()))));
    assertThrows(
        UntrustedSignatureException.class, () -> verifier(1, alice).verify(envelope, TYPE));
  }

  @Test
  void verify_rejectsAnUnexpectedPayloadType() {
    Envelope envelope = new Signer(alice).sign(PayloadTypes.IN_TOTO, HELLO);
    assertEquals(
        "test envelope: payloadType must be 'application/vnd.ferry.desired+json', got"
            + " 'application/vnd.in-toto+json'",
        assertThrows(
                UntrustedSignatureException.class,
                () -> verifier(1, alice).verify(envelope, PayloadTypes.DESIRED))
            .getMessage());
  }

  @Test
  void verify_countsEachKeyOnce() {
    Envelope twice = Signer.signAll(TYPE, HELLO, List.of(new Signer(alice), new Signer(alice)));
    var error =
        assertThrows(
            UntrustedSignatureException.class, () -> verifier(2, alice, bob).verify(twice, TYPE));
    assertEquals(
        "test envelope: 1 of 2 required signatures verified (unknown key ids [], bad signatures from [])",
        error.getMessage());
    Envelope both = Signer.signAll(TYPE, HELLO, List.of(new Signer(alice), new Signer(bob)));
    assertArrayEquals(HELLO, verifier(2, alice, bob).verify(both, TYPE));
  }

  @Test
  void verify_countsAKeyOnceEvenWithoutKeyIds() {
    Signature sig = new Signer(alice).sign(TYPE, HELLO).signatures().get(0);
    Signature anonymous = new Signature("", sig.sig());
    Envelope envelope =
        new Envelope(
            TYPE, Base64.getEncoder().encodeToString(HELLO), List.of(anonymous, anonymous));
    assertThrows(
        UntrustedSignatureException.class, () -> verifier(2, alice, bob).verify(envelope, TYPE));
    assertArrayEquals(HELLO, verifier(1, bob, alice).verify(envelope, TYPE));
  }

  @Test
  void verify_namesUnknownKeyIds() {
    Envelope envelope = new Signer(bob).sign(TYPE, HELLO);
    assertEquals(
        "test envelope: 0 of 1 required signatures verified (unknown key ids ["
            + KeyIds.of(bob.getPublic()).substring(0, 12)
            + "], bad signatures from [])",
        assertThrows(
                UntrustedSignatureException.class, () -> verifier(1, alice).verify(envelope, TYPE))
            .getMessage());
  }

  @Test
  void verify_treatsBadSignatureBase64AsABadSignature() {
    Envelope envelope =
        new Envelope(
            TYPE,
            Base64.getEncoder().encodeToString(HELLO),
            List.of(new Signature(KeyIds.of(alice.getPublic()), "%%%")));
    assertThrows(
        UntrustedSignatureException.class, () -> verifier(1, alice).verify(envelope, TYPE));
  }

  @Test
  void verifier_rejectsAKeyListedUnderAnotherId() {
    var error =
        assertThrows(
            IllegalArgumentException.class,
            () -> new ThresholdVerifier("test", Map.of("abc", alice.getPublic()), 1));
    assertEquals(
        "key id 'abc' does not match its key, whose id is " + KeyIds.of(alice.getPublic()),
        error.getMessage());
  }

  @Test
  void signer_neverShowsItsKey() {
    Signer signer = new Signer(alice);
    assertEquals("Signer[" + KeyIds.of(alice.getPublic()) + "]", signer.toString());
  }

  @Test
  void keyPairPem_needsBothBlocksThatBelongTogether() throws Exception {
    assertEquals(alice.getPublic(), Ed25519.keyPairFromPem(Ed25519.toPem(alice)).getPublic());
    assertEquals(
        "the PEM holds no PUBLIC KEY block; append one with 'openssl pkey -in FILE -pubout >>"
            + " FILE'",
        assertThrows(
                IllegalArgumentException.class,
                () -> Ed25519.keyPairFromPem(Ed25519.toPem(alice.getPrivate())))
            .getMessage());
    String mixed = Ed25519.toPem(alice.getPrivate()) + Ed25519.toPem(bob.getPublic());
    assertEquals(
        "the PEM's PUBLIC KEY does not belong to its PRIVATE KEY",
        assertThrows(IllegalArgumentException.class, () -> Ed25519.keyPairFromPem(mixed))
            .getMessage());
  }

  @Test
  void keyPairPem_readsAnOpensslKeyWithItsPublicKeyAppended() throws Exception {
    Path pem = dir.resolve("key.pem");
    openssl("genpkey", "-algorithm", "ed25519", "-out", pem.toString());
    String pub = openssl("pkey", "-in", pem.toString(), "-pubout");
    Files.writeString(pem, pub, java.nio.file.StandardOpenOption.APPEND);
    KeyPair pair = Ed25519.keyPairFromPem(Files.readString(pem));
    assertEquals(pair.getPublic(), Ed25519.publicKeyFromPem(pub));
  }

  @Test
  void pem_roundTrips() {
    assertEquals(alice.getPublic(), Ed25519.publicKeyFromPem(Ed25519.toPem(alice.getPublic())));
    assertEquals(alice.getPrivate(), Ed25519.privateKeyFromPem(Ed25519.toPem(alice.getPrivate())));
  }

  private static String openssl(String... args) {
    List<String> command = new java.util.ArrayList<>(List.of("openssl"));
    command.addAll(List.of(args));
    return Services.exec(command.toArray(String[]::new));
  }
}
