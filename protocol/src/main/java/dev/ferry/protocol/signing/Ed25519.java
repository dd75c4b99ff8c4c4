package dev.ferry.protocol.signing;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;

/**
 * Ed25519 keys with the JDK's own provider: generation, DER and PEM (as openssl writes them); the
 * signing engine and verification.
 */
public final class Ed25519 {
  /** The JCA algorithm name. */
  public static final String ALGORITHM = "Ed25519";

  private static final Pattern PEM =
      Pattern.compile("-----BEGIN ([A-Z ]+)-----([A-Za-z0-9+/=\\s]+)-----END \\1-----");

  private Ed25519() {}

  /**
   * A signing engine: BouncyCastle's when it is on the class path (several times faster than JDK
   * 17's, see B6 in BENCHMARKS.md, which counts when the hub signs a desired state for each of
   * thousands of devices), else the JDK's. Both take the JDK's keys.
   */
  static Signature signer() throws NoSuchAlgorithmException {
    Provider fast = Fast.PROVIDER;
    return fast == null ? Signature.getInstance(ALGORITHM) : Signature.getInstance(ALGORITHM, fast);
  }

  /**
   * Whether {@code signature} is a valid Ed25519 signature of {@code message} by {@code key}: with
   * BouncyCastle's lightweight verifier when it is on the class path (no JCA provider made:
   * building BouncyCastle's provider loads some 640 classes, about a second of an agent's start;
   * warm, it verified 2 to 4 times faster than JDK 17's on an emulated arm64 JVM; see BENCHMARKS.md
   * B8), else with the JDK's.
   */
  static boolean verify(PublicKey key, byte[] message, byte[] signature) {
    return BouncyCastle.PRESENT
        ? Lightweight.verify(key, message, signature)
        : verifyWithJdk(key, message, signature);
  }

  /**
   * Whether BouncyCastle's lightweight verifier is on the class path. A class of its own, naming no
   * BouncyCastle type: checking {@link Lightweight} itself would load BouncyCastle's classes to
   * verify its bytecode, and fail where they are absent (the CLI).
   */
  static final class BouncyCastle {
    static final boolean PRESENT = present("org.bouncycastle.crypto.signers.Ed25519Signer");

    private static boolean present(String className) {
      try {
        Class.forName(className, false, Ed25519.class.getClassLoader());
        return true;
      } catch (ClassNotFoundException | LinkageError e) {
        return false; // not on the class path: the JDK's verifier serves
      }
    }
  }

  /** The JDK's verifier: what {@link #verify} uses when BouncyCastle is absent. */
  static boolean verifyWithJdk(PublicKey key, byte[] message, byte[] signature) {
    try {
      Signature verifier = Signature.getInstance(ALGORITHM);
      verifier.initVerify(key);
      verifier.update(message);
      return verifier.verify(signature);
    } catch (GeneralSecurityException e) {
      return false;
    }
  }

  /**
   * BouncyCastle's lightweight Ed25519 verifier on the key's raw 32 bytes. Loaded only when {@link
   * BouncyCastle#PRESENT} says its classes are there.
   */
  static final class Lightweight {

    /** X.509 SubjectPublicKeyInfo of an Ed25519 key: these 12 bytes, then the key's 32. */
    private static final byte[] SPKI_PREFIX = {
      0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00
    };

    private Lightweight() {}

    static boolean verify(PublicKey key, byte[] message, byte[] signature) {
      byte[] encoded = key.getEncoded();
      if (encoded == null
          || encoded.length != SPKI_PREFIX.length + Ed25519PublicKeyParameters.KEY_SIZE
          || !Arrays.equals(encoded, 0, SPKI_PREFIX.length, SPKI_PREFIX, 0, SPKI_PREFIX.length)) {
        return false; // not an Ed25519 key
      }
      Ed25519Signer verifier = new Ed25519Signer();
      try {
        verifier.init(false, new Ed25519PublicKeyParameters(encoded, SPKI_PREFIX.length));
      } catch (IllegalArgumentException e) {
        return false; // not a point on the curve
      }
      verifier.update(message, 0, message.length);
      return verifier.verifySignature(signature);
    }
  }

  /** BouncyCastle's provider, made on the first signature: null when not on the class path. */
  private static final class Fast {
    static final Provider PROVIDER = bouncyCastle();

    private static Provider bouncyCastle() {
      try {
        return (Provider)
            Class.forName("org.bouncycastle.jce.provider.BouncyCastleProvider")
                .getDeclaredConstructor()
                .newInstance();
      } catch (ReflectiveOperationException | LinkageError | ClassCastException e) {
        return null; // not on the class path: the JDK's provider serves
      }
    }
  }

  /** A new random key pair. */
  public static KeyPair generate() {
    try {
      return KeyPairGenerator.getInstance(ALGORITHM).generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK has no Ed25519", e);
    }
  }

  /**
   * A public key from its X.509 SubjectPublicKeyInfo DER encoding.
   *
   * @param der the encoded key
   * @return the key
   * @throws IllegalArgumentException if the bytes are not an Ed25519 public key
   */
  public static PublicKey publicKey(byte[] der) {
    try {
      return KeyFactory.getInstance(ALGORITHM).generatePublic(new X509EncodedKeySpec(der));
    } catch (GeneralSecurityException | ClassCastException e) {
      throw new IllegalArgumentException("not an Ed25519 public key: " + e.getMessage(), e);
    }
  }

  /**
   * A private key from its PKCS#8 DER encoding.
   *
   * @param der the encoded key
   * @return the key
   * @throws IllegalArgumentException if the bytes are not an Ed25519 private key
   */
  public static PrivateKey privateKey(byte[] der) {
    try {
      return KeyFactory.getInstance(ALGORITHM).generatePrivate(new PKCS8EncodedKeySpec(der));
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException("not an Ed25519 private key (PKCS#8)", e);
    }
  }

  /**
   * A public key from PEM ({@code -----BEGIN PUBLIC KEY-----}), as {@code openssl pkey -pubout}
   * writes it.
   *
   * @param pem the PEM text
   * @return the key
   */
  public static PublicKey publicKeyFromPem(String pem) {
    return publicKey(pemBody(pem, "PUBLIC KEY"));
  }

  /**
   * A private key from PEM ({@code -----BEGIN PRIVATE KEY-----}), as {@code openssl genpkey
   * -algorithm ed25519} writes it. The key never appears in an exception message.
   *
   * @param pem the PEM text
   * @return the key
   */
  public static PrivateKey privateKeyFromPem(String pem) {
    return privateKey(pemBody(pem, "PRIVATE KEY"));
  }

  /**
   * The PEM encoding of a public key.
   *
   * @param key the key
   * @return {@code -----BEGIN PUBLIC KEY-----} text
   */
  public static String toPem(PublicKey key) {
    return pem("PUBLIC KEY", key.getEncoded());
  }

  /**
   * The PKCS#8 PEM encoding of a private key.
   *
   * @param key the key
   * @return {@code -----BEGIN PRIVATE KEY-----} text
   */
  public static String toPem(PrivateKey key) {
    return pem("PRIVATE KEY", key.getEncoded());
  }

  private static String pem(String label, byte[] der) {
    String body =
        Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
    return "-----BEGIN " + label + "-----\n" + body + "\n-----END " + label + "-----\n";
  }

  /**
   * A key pair from PEM text holding a {@code PRIVATE KEY} and a {@code PUBLIC KEY} block, as
   * {@link #toPem(KeyPair)} writes it. The public key cannot be derived with the JDK's API, so it
   * must be there; the pair is checked by a test signature.
   *
   * @param pem the PEM text
   * @return the key pair
   * @throws IllegalArgumentException if a block is missing or the keys do not belong together
   */
  public static KeyPair keyPairFromPem(String pem) {
    PrivateKey privateKey = privateKeyFromPem(pem);
    if (!pem.contains("-----BEGIN PUBLIC KEY-----")) {
      throw new IllegalArgumentException(
          "the PEM holds no PUBLIC KEY block; append one with 'openssl pkey -in FILE -pubout >>"
              + " FILE'");
    }
    KeyPair pair = new KeyPair(publicKeyFromPem(pem), privateKey);
    byte[] probe = "ferry key pair check".getBytes(StandardCharsets.US_ASCII);
    Envelope signed = new Signer(pair).sign("text/plain", probe);
    var verifier =
        new ThresholdVerifier(
            "key", java.util.Map.of(KeyIds.of(pair.getPublic()), pair.getPublic()), 1);
    try {
      verifier.verify(signed, "text/plain");
    } catch (UntrustedSignatureException e) {
      throw new IllegalArgumentException("the PEM's PUBLIC KEY does not belong to its PRIVATE KEY");
    }
    return pair;
  }

  /**
   * Both keys of a pair as PEM: the PKCS#8 private key, then the public key.
   *
   * @param pair the key pair
   * @return the PEM text
   */
  public static String toPem(KeyPair pair) {
    return toPem(pair.getPrivate()) + toPem(pair.getPublic());
  }

  private static byte[] pemBody(String pem, String label) {
    Matcher matcher = PEM.matcher(pem);
    while (matcher.find()) {
      if (matcher.group(1).equals(label)) {
        return Base64.getMimeDecoder().decode(matcher.group(2));
      }
    }
    throw new IllegalArgumentException("expected a PEM block '-----BEGIN " + label + "-----'");
  }
}
