package dev.ferry.agent.identity;

import dev.ferry.protocol.files.AtomicFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * The device's identity on disk, {@code <data-dir>/identity/} (0700): {@code device.key} (PKCS#8
 * PEM, 0600), {@code device.crt}, {@code ca.crt} and {@code mqtt.password} (0600), each replaced
 * atomically.
 *
 * @param dir the identity directory
 */
public record IdentityFiles(Path dir) {
  private static final Set<PosixFilePermission> OWNER_ONLY =
      PosixFilePermissions.fromString("rwx------");
  private static final Set<PosixFilePermission> SECRET =
      PosixFilePermissions.fromString("rw-------");

  /**
   * The identity files of a data directory.
   *
   * @param dataDir {@code ferry.agent.data-dir}
   * @return its {@code identity/} files
   */
  public static IdentityFiles under(Path dataDir) {
    return new IdentityFiles(dataDir.resolve("identity"));
  }

  /** The private key, PKCS#8 PEM. */
  public Path key() {
    return dir.resolve("device.key");
  }

  /** The device's client certificate, PEM. */
  public Path certificate() {
    return dir.resolve("device.crt");
  }

  /** The device CA's certificates, PEM. */
  public Path ca() {
    return dir.resolve("ca.crt");
  }

  /** The per-device MQTT (and embedded registry) password. */
  public Path password() {
    return dir.resolve("mqtt.password");
  }

  /** Whether the device is enrolled: key, certificate, CA and password are all there. */
  public boolean complete() {
    return Files.isRegularFile(key())
        && Files.isRegularFile(certificate())
        && Files.isRegularFile(ca())
        && Files.isRegularFile(password());
  }

  /**
   * Creates the directory (0700) unless it exists, and makes sure only the owner may enter it.
   *
   * @throws IOException if it cannot be created
   */
  public void createDirectory() throws IOException {
    try {
      Files.createDirectories(dir.getParent());
      Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
    } catch (FileAlreadyExistsException e) {
      // made before
    }
    Files.setPosixFilePermissions(dir, OWNER_ONLY);
  }

  /**
   * Writes one of the files atomically, 0600 before it takes the file's name.
   *
   * @param file one of this directory's files
   * @param text its content
   * @throws IOException if it cannot be written; the file then keeps its old content
   */
  public void write(Path file, String text) throws IOException {
    createDirectory();
    Path temp = Files.createTempFile(dir, "." + file.getFileName() + ".", ".tmp");
    try {
      Files.setPosixFilePermissions(temp, SECRET);
      Files.write(temp, text.getBytes(StandardCharsets.UTF_8));
      AtomicFiles.force(temp);
      AtomicFiles.move(temp, file);
    } finally {
      Files.deleteIfExists(temp);
    }
  }

  /**
   * Reads one of the files.
   *
   * @param file one of this directory's files
   * @return its content
   * @throws IOException if it cannot be read
   */
  public String read(Path file) throws IOException {
    return Files.readString(file, StandardCharsets.UTF_8);
  }
}
