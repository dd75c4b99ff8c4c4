package dev.ferry.agent.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;

/**
 * What tells a file apart from a changed one without reading it: its file key (device and inode
 * where the file system has them), size and last modification time.
 *
 * @param fileKey the file system's key of the file, or null where it gives none
 * @param size the size in bytes
 * @param modified the last modification time
 */
record FileStamp(Object fileKey, long size, FileTime modified) {
  /**
   * The stamp of a file now.
   *
   * @throws java.nio.file.NoSuchFileException if there is no such file
   * @throws IOException if its attributes cannot be read
   */
  static FileStamp of(Path file) throws IOException {
    BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
    return new FileStamp(attributes.fileKey(), attributes.size(), attributes.lastModifiedTime());
  }

  /** Whether the stamp names one file: without a file key, a replaced file could look the same. */
  boolean identifiable() {
    return fileKey != null;
  }
}
