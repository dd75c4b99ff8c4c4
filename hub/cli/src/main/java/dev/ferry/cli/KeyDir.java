package dev.ferry.cli;

import dev.ferry.protocol.json.JsonCodec;
import dev.ferry.protocol.signing.Ed25519;
import dev.ferry.protocol.signing.Envelope;
import dev.ferry.protocol.signing.KeyIds;
import dev.ferry.protocol.signing.Role;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A directory of key files, one Ed25519 key pair per {@code <role>-<key id prefix>.pem} (mode 0600,
 * the format the hub's {@code ferry.hub.keys.*} read), and the signed roots next to them.
 */
final class KeyDir {
  private static final JsonCodec CODEC = new JsonCodec();
  private final Path dir;

  KeyDir(Path dir) {
    this.dir = dir;
  }

  /** Generates a key for a role and writes it, readable by its owner only. */
  KeyPair generate(Role role) {
    KeyPair pair = Ed25519.generate();
    Path file =
        dir.resolve(role.id() + "-" + KeyIds.of(pair.getPublic()).substring(0, 12) + ".pem");
    try {
      Files.createDirectories(dir);
      Files.createFile(
          file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      Files.writeString(file, Ed25519.toPem(pair), StandardCharsets.US_ASCII);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the " + role.id() + " key " + file, e);
    }
    return pair;
  }

  /** Every key pair in the directory, by key id. */
  Map<String, KeyPair> keys() {
    Map<String, KeyPair> keys = new LinkedHashMap<>();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".pem")).sorted().toList()) {
        KeyPair pair = read(file);
        keys.put(KeyIds.of(pair.getPublic()), pair);
      }
    } catch (IOException e) {
      throw new TrustException("cannot list the key directory " + dir + ": " + e);
    }
    return keys;
  }

  /**
   * Reads the release key; warns when the file's name, as {@link #generate} names keys, says it
   * holds another role (the hub and its devices take a statement or a list only from a release key:
   * signed with a hub key, it would be refused only at the hub).
   */
  static KeyPair readReleaseKey(Path file, PrintWriter err) {
    String name = file.getFileName().toString();
    for (Role role : Role.values()) {
      if (role != Role.RELEASE && name.matches(role.id() + "-[0-9a-f]{12}\\.pem")) {
        err.printf(
            "ferry: warning: %s is named as a %s key, not a release key: the hub takes only a"
                + " signature of its newest root's release keys%n",
            file, role.id());
        err.flush();
      }
    }
    return read(file);
  }

  /** A key pair read from a file written by {@link #generate}. */
  static KeyPair read(Path file) {
    try {
      return Ed25519.keyPairFromPem(Files.readString(file, StandardCharsets.US_ASCII));
    } catch (IOException e) {
      throw new TrustException("cannot read the key " + file + ": " + e);
    } catch (IllegalArgumentException e) {
      throw new TrustException(file + " is not an Ed25519 key pair: " + e.getMessage());
    }
  }

  /** Writes a signed document as JSON. */
  static void write(Path file, Envelope envelope) {
    try {
      Files.write(file, CODEC.encode(envelope));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }

  /** Reads a signed document. */
  static Envelope envelope(Path file) {
    try {
      return CODEC.decode(Files.readAllBytes(file), Envelope.class);
    } catch (IOException e) {
      throw new TrustException("cannot read " + file + ": " + e);
    } catch (IllegalArgumentException e) {
      throw new TrustException(file + " is not a signed document: " + e.getMessage());
    }
  }
}
