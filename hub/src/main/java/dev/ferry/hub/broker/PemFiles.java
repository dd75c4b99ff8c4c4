package dev.ferry.hub.broker;

import dev.ferry.hub.identity.Pem;
import dev.ferry.hub.identity.TlsMaterial.KeyAndChain;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** The hub client's TLS files ({@code ferry.hub.mqtt.*-file}), read through {@link Pem}. */
final class PemFiles {
  private PemFiles() {}

  /**
   * A key and its chain from two PEM files.
   *
   * @param certificateFile the chain, leaf first
   * @param keyFile the private key of the leaf (PKCS#8 or a traditional key pair)
   * @return the key and chain
   * @throws IOException if either cannot be read
   * @throws IllegalArgumentException naming the file if it holds no such PEM
   */
  static KeyAndChain keyAndChain(Path certificateFile, Path keyFile) throws IOException {
    String key = read(keyFile);
    try {
      return new KeyAndChain(Pem.privateKey(key), certificates(certificateFile));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(keyFile + ": " + e.getMessage(), e);
    }
  }

  /**
   * The certificates of a PEM file, in file order.
   *
   * @param file the file
   * @return at least one certificate
   * @throws IOException if it cannot be read
   * @throws IllegalArgumentException naming the file if it holds anything but certificates
   */
  static java.util.List<java.security.cert.X509Certificate> certificates(Path file)
      throws IOException {
    String pem = read(file);
    try {
      return Pem.certificates(pem);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
    }
  }

  private static String read(Path file) throws IOException {
    return Files.readString(file, StandardCharsets.US_ASCII);
  }
}
