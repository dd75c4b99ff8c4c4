package dev.ferry.hub.broker;

import dev.ferry.hub.identity.TlsMaterial.KeyAndChain;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;

/** Reads PEM certificates and private keys (PKCS#8 or the traditional OpenSSL forms). */
final class PemFiles {
  private PemFiles() {}

  /**
   * The certificates of a PEM file, in file order.
   *
   * @param file the file
   * @return at least one certificate
   * @throws IOException if it cannot be read or holds no certificate
   */
  static List<X509Certificate> certificates(Path file) throws IOException {
    List<X509Certificate> certificates = new ArrayList<>();
    try (PEMParser parser = parser(file)) {
      for (Object item = parser.readObject(); item != null; item = parser.readObject()) {
        if (item instanceof X509CertificateHolder holder) {
          certificates.add(certificate(holder, file));
        }
      }
    }
    if (certificates.isEmpty()) {
      throw new IOException("no PEM certificate in " + file);
    }
    return List.copyOf(certificates);
  }

  /**
   * The first private key of a PEM file.
   *
   * @param file the file
   * @return the key
   * @throws IOException if it cannot be read or holds no private key
   */
  static PrivateKey privateKey(Path file) throws IOException {
    JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
    try (PEMParser parser = parser(file)) {
      for (Object item = parser.readObject(); item != null; item = parser.readObject()) {
        if (item instanceof PrivateKeyInfo info) {
          return converter.getPrivateKey(info);
        }
        if (item instanceof PEMKeyPair pair) {
          return converter.getPrivateKey(pair.getPrivateKeyInfo());
        }
      }
    }
    throw new IOException("no unencrypted PEM private key in " + file);
  }

  /**
   * A key and its chain from two PEM files.
   *
   * @param certificateFile the chain, leaf first
   * @param keyFile the private key of the leaf
   * @return the key and chain
   * @throws IOException if either cannot be read
   */
  static KeyAndChain keyAndChain(Path certificateFile, Path keyFile) throws IOException {
    return new KeyAndChain(privateKey(keyFile), certificates(certificateFile));
  }

  private static PEMParser parser(Path file) throws IOException {
    Reader reader = Files.newBufferedReader(file, StandardCharsets.US_ASCII);
    return new PEMParser(reader);
  }

  private static X509Certificate certificate(X509CertificateHolder holder, Path file)
      throws IOException {
    try {
      return new JcaX509CertificateConverter().getCertificate(holder);
    } catch (CertificateException e) {
      throw new IOException("unreadable certificate in " + file + ": " + e.getMessage(), e);
    }
  }
}
