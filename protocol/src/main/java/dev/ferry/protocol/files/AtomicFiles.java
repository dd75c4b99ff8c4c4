package dev.ferry.protocol.files;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;

/**
 * Files replaced atomically and durably, the one way hub and agent write small files: a temporary
 * file in the target's directory is written, synced, renamed over the target, and the directory is
 * synced. A crash leaves the old content or the new, never a mix.
 *
 * <p>Temporary files are named {@code .<name>.<random>.tmp}: hidden (directory listings that skip
 * dot files skip them), unique (concurrent writers of one target do not collide), and found again
 * by {@link #deleteLeftovers} after a crash.
 */
public final class AtomicFiles {
  private AtomicFiles() {}

  /**
   * Replaces a file's content, creating its directory if needed. On POSIX file systems the file
   * ends with mode 0600 (the temporary file's), so keys and secrets written here stay private.
   *
   * @param target the file
   * @param bytes its new content
   * @throws IOException if it cannot be written; the file then keeps its old content
   */
  public static void write(Path target, byte[] bytes) throws IOException {
    Path dir = Files.createDirectories(target.getParent());
    Path temp = Files.createTempFile(dir, "." + target.getFileName() + ".", ".tmp");
    try {
      writeSynced(temp, bytes);
      move(temp, target);
    } finally {
      Files.deleteIfExists(temp);
    }
  }

  /**
   * Replaces a file that others must read (a CA certificate, a CRL for a broker running as another
   * user): the same as {@link #write}, with mode 0644 set before the rename.
   *
   * @param target the file
   * @param bytes its new content
   * @throws IOException if it cannot be written; the file then keeps its old content
   */
  public static void writePublic(Path target, byte[] bytes) throws IOException {
    Path dir = Files.createDirectories(target.getParent());
    Path temp = Files.createTempFile(dir, "." + target.getFileName() + ".", ".tmp");
    try {
      writeSynced(temp, bytes);
      if (temp.getFileSystem().supportedFileAttributeViews().contains("posix")) {
        Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("rw-r--r--"));
      }
      move(temp, target);
    } finally {
      Files.deleteIfExists(temp);
    }
  }

  /**
   * Creates an empty marker file unless it exists, and syncs its directory.
   *
   * @param target the marker file
   * @throws IOException if it cannot be created
   */
  public static void touch(Path target) throws IOException {
    Path dir = Files.createDirectories(target.getParent());
    try {
      Files.createFile(target);
      syncDirectory(dir);
    } catch (FileAlreadyExistsException e) {
      // already there
    }
  }

  /**
   * Renames a complete file over {@code target} atomically and syncs the target's directory.
   *
   * @param source a complete file, synced ({@link #force}), in the target's file system
   * @param target where it goes; replaced if it exists
   * @throws IOException if the rename fails; {@code target} is then unchanged
   */
  public static void move(Path source, Path target) throws IOException {
    Files.move(source, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    syncDirectory(target.getParent());
  }

  /**
   * Syncs a file's content to the storage device.
   *
   * @param file the file
   * @throws IOException if it cannot be opened or synced
   */
  public static void force(Path file) throws IOException {
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
      channel.force(true);
    }
  }

  /**
   * Deletes the temporary files a crash during {@link #write} left beside {@code target} (and a
   * {@code <name>.tmp} of the writers before this one).
   *
   * @param target the file whose leftovers go
   * @return how many were deleted
   * @throws IOException if the directory cannot be listed or a leftover deleted
   */
  public static int deleteLeftovers(Path target) throws IOException {
    Path dir = target.getParent();
    if (!Files.isDirectory(dir)) {
      return 0;
    }
    String name = target.getFileName().toString();
    List<Path> leftovers;
    try (Stream<Path> files = Files.list(dir)) {
      leftovers = files.filter(f -> isLeftover(name, f.getFileName().toString())).toList();
    }
    for (Path leftover : leftovers) {
      Files.deleteIfExists(leftover);
    }
    return leftovers.size();
  }

  private static boolean isLeftover(String name, String candidate) {
    return candidate.equals(name + ".tmp")
        || (candidate.startsWith("." + name + ".") && candidate.endsWith(".tmp"));
  }

  private static void writeSynced(Path file, byte[] bytes) throws IOException {
    try (FileChannel out = FileChannel.open(file, StandardOpenOption.WRITE)) {
      ByteBuffer buffer = ByteBuffer.wrap(bytes);
      while (buffer.hasRemaining()) {
        out.write(buffer);
      }
      out.force(true);
    }
  }

  /**
   * Syncs a directory's entries (files created, renamed or deleted in it) to the storage device.
   * Not every platform can sync a directory; a rename is atomic without it, and failing here would
   * report a write that did happen as one that did not, so a failure is ignored.
   *
   * @param dir the directory
   */
  public static void syncDirectory(Path dir) {
    try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
      channel.force(true);
    } catch (IOException e) {
      // the content is in place; only its durability across a power cut is not confirmed
    }
  }
}
