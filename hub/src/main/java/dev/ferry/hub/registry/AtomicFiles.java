package dev.ferry.hub.registry;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/** Durable file updates: write to a temp file beside the target, fsync, rename, fsync the dir. */
final class AtomicFiles {
  private AtomicFiles() {}

  /** Replaces {@code target} with {@code bytes}; a reader sees the old or the new content. */
  static void write(Path target, byte[] bytes) throws IOException {
    Path dir = Files.createDirectories(target.getParent());
    Path temp = Files.createTempFile(dir, ".tmp-", "");
    try {
      Files.write(temp, bytes);
      force(temp);
      move(temp, target);
    } finally {
      Files.deleteIfExists(temp);
    }
  }

  /** Creates an empty marker file unless it exists. */
  static void touch(Path target) throws IOException {
    Path dir = Files.createDirectories(target.getParent());
    try {
      Files.createFile(target);
      forceDirectory(dir);
    } catch (FileAlreadyExistsException e) {
      // already recorded
    }
  }

  /** Renames a complete, synced file to {@code target} atomically and syncs the directory. */
  static void move(Path source, Path target) throws IOException {
    Files.move(source, target, StandardCopyOption.ATOMIC_MOVE);
    forceDirectory(target.getParent());
  }

  static void force(Path file) throws IOException {
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
      channel.force(true);
    }
  }

  private static void forceDirectory(Path dir) {
    try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
      channel.force(true);
    } catch (IOException e) {
      // not every platform can fsync a directory; the rename itself is still atomic
    }
  }
}
