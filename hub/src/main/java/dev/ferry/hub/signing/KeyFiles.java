package dev.ferry.hub.signing;

import dev.ferry.protocol.signing.Ed25519;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.util.Optional;
import org.jboss.logging.Logger;

/** Key pair files (PEM, private and public block in one file, mode 0600) of the hub's roles. */
final class KeyFiles {
  private static final Logger LOG = Logger.getLogger(KeyFiles.class);
  private final Path dataDir;

  KeyFiles(Path dataDir) {
    this.dataDir = dataDir;
  }

  /** Where a generated key of a role lives: {@code <data-dir>/keys/<role>.pem}. */
  Path defaultFile(String role) {
    return dataDir.resolve("keys").resolve(role + ".pem");
  }

  /**
   * The configured key, else the generated one (made now if missing and {@code generate}).
   *
   * @throws IllegalStateException naming the property when the key is missing or not a key
   */
  KeyPair load(String role, Optional<Path> configured, boolean generate) {
    Path file = configured.orElse(defaultFile(role));
    try {
      if (configured.isEmpty() && !Files.exists(file)) {
        if (!generate) {
          throw new IllegalStateException(
              "ferry.hub.keys."
                  + role
                  + " is not set; with ferry.hub.keys.root-document the hub"
                  + " generates no key: give it the "
                  + role
                  + " key from ferry trust init");
        }
        return generated(role, file);
      }
      return Ed25519.keyPairFromPem(Files.readString(file, StandardCharsets.US_ASCII));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the " + role + " key " + file, e);
    } catch (IllegalArgumentException e) {
      throw new IllegalStateException(
          "ferry.hub.keys." + role + ": " + file + " is not an Ed25519 key pair: " + e.getMessage(),
          e);
    }
  }

  private static KeyPair generated(String role, Path file) throws IOException {
    Files.createDirectories(file.getParent());
    KeyPair generated = Ed25519.generate();
    Files.createFile(
        file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    Files.writeString(file, Ed25519.toPem(generated), StandardCharsets.US_ASCII);
    LOG.infof("generated the %s key into %s", role, file);
    return generated;
  }
}
