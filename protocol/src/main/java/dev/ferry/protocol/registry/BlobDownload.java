package dev.ferry.protocol.registry;

import dev.ferry.protocol.json.Fields;
import dev.ferry.protocol.oci.Descriptor;
import dev.ferry.protocol.oci.Digest;
import dev.ferry.protocol.oci.DigestMismatchException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.function.LongConsumer;

/**
 * One blob pull into {@code <target>.part}: resumed with {@code Range} from what an earlier pull
 * left, hashed while streaming, cut past the declared size, renamed to the target only when
 * complete and verified.
 */
final class BlobDownload {
  private final Transport transport;
  private final String repository;
  private final Descriptor blob;
  private final Path target;
  private final Path part;
  private final LongConsumer progress;
  private final MessageDigest sha = Digest.newSha256();

  BlobDownload(
      Transport transport, String repository, Descriptor blob, Path target, LongConsumer progress) {
    this.transport = transport;
    this.repository = repository;
    this.blob = blob;
    this.target = target;
    this.part = RegistryClient.partOf(target);
    this.progress = progress;
  }

  BlobPull run() throws IOException {
    long size = blob.size();
    long have = Files.exists(part) ? Files.size(part) : 0;
    if (have > size) {
      Files.delete(part);
      have = 0;
    }
    hashPart(have);
    long fetched = have < size ? fetch(have) : 0;
    long onDisk = Files.size(part);
    if (onDisk != size) {
      throw new RegistryException(
          0,
          "blob "
              + blob.digest()
              + " ended after "
              + onDisk
              + " of "
              + size
              + " bytes; the next pull resumes");
    }
    Digest actual = Digest.of(sha);
    if (!actual.equals(blob.digest())) {
      Files.delete(part);
      throw new DigestMismatchException("blob", blob.digest(), actual);
    }
    // not synced here: the caller syncs the blob before a record names it (it may overlap that
    // with other work), and a blob torn by a crash fails its digest check when next read
    Files.move(part, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    return new BlobPull(onDisk - fetched, fetched);
  }

  private long fetch(long have) throws IOException {
    Transport.Response response;
    try {
      response = download(have);
    } catch (BlobTooLargeException e) {
      Files.deleteIfExists(part);
      throw e;
    }
    response.requireSuccess("GET blob " + repository + "@" + blob.digest(), 200, 206);
    String range = response.headers.firstValue("Content-Range").orElse("");
    if (response.status == 206 && !range.startsWith("bytes " + have + "-")) {
      Files.deleteIfExists(part);
      throw new RegistryException(
          206,
          "blob "
              + blob.digest()
              + ": asked for bytes from "
              + have
              + ", got Content-Range "
              + Fields.show(range));
    }
    return response.bodyBytes;
  }

  private Transport.Response download(long have) throws IOException {
    String tooLarge =
        "blob " + blob.digest() + " is larger than its declared " + blob.size() + " bytes";
    try (FileChannel out =
        FileChannel.open(part, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
      RegistryRequest get =
          RegistryRequest.get(repository, transport.uri(repository, "/blobs/" + blob.digest()));
      return transport.exchange(
          have > 0 ? get.withHeader("Range", "bytes=" + have + "-") : get,
          status -> {
            // a 200 answers a Range request with the whole blob: start over from byte 0
            long from = status == 206 ? have : 0;
            startAt(out, from);
            return transport.body(
                buffer -> {
                  sha.update(buffer.duplicate());
                  out.write(buffer);
                },
                blob.size() - from,
                tooLarge,
                n -> progress.accept(from + n));
          });
    }
  }

  private void startAt(FileChannel out, long from) {
    try {
      out.truncate(from);
      out.position(from);
      if (from == 0) {
        sha.reset();
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + part, e);
    }
  }

  private void hashPart(long length) throws IOException {
    if (length == 0) {
      return;
    }
    try (InputStream in = Files.newInputStream(part)) {
      byte[] buffer = new byte[64 * 1024];
      long left = length;
      for (int n;
          left > 0 && (n = in.read(buffer, 0, (int) Math.min(buffer.length, left))) > 0;
          left -= n) {
        sha.update(buffer, 0, n);
      }
    }
  }
}
