package dev.ferry.hub.registry;

import dev.ferry.protocol.files.AtomicFiles;
import dev.ferry.protocol.oci.Digest;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;

/**
 * A blob streamed into {@code incoming/}, hashed and counted on the way with a fixed buffer;
 * closing it deletes the file unless it was moved into the store.
 */
final class IncomingBlob implements AutoCloseable {
  private static final int BUFFER = 64 * 1024;

  private final Path file;
  private final Digest digest;
  private final long size;

  private IncomingBlob(Path file, Digest digest, long size) {
    this.file = file;
    this.digest = digest;
    this.size = size;
  }

  /** Streams {@code in} into a new file under {@code incoming}, at most {@code maxBytes}. */
  static IncomingBlob receive(Path incoming, InputStream in, long maxBytes) throws IOException {
    Path file = Files.createTempFile(incoming, "blob-", ".part");
    try {
      MessageDigest sha = Digest.newSha256();
      long size = copy(in, file, sha, maxBytes);
      AtomicFiles.force(file);
      return new IncomingBlob(file, Digest.of(sha), size);
    } catch (IOException | RuntimeException e) {
      Files.deleteIfExists(file);
      throw e;
    }
  }

  private static long copy(InputStream in, Path file, MessageDigest sha, long maxBytes)
      throws IOException {
    byte[] buffer = new byte[BUFFER];
    long size = 0;
    try (OutputStream out = Files.newOutputStream(file)) {
      for (int n; (n = in.read(buffer)) != -1; ) {
        size += n;
        if (size > maxBytes) {
          throw new BlobExceedsLimitException(maxBytes);
        }
        sha.update(buffer, 0, n);
        out.write(buffer, 0, n);
      }
    }
    return size;
  }

  Path file() {
    return file;
  }

  Digest digest() {
    return digest;
  }

  long size() {
    return size;
  }

  @Override
  public void close() throws IOException {
    Files.deleteIfExists(file);
  }
}
