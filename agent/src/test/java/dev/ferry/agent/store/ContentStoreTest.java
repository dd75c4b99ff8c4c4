package dev.ferry.agent.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.protocol.oci.Digest;
import dev.ferry.protocol.oci.DigestMismatchException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ContentStoreTest {
  @TempDir Path dir;

  @Test
  void commit_movesAVerifiedDownloadIntoTheCache() throws IOException {
    ContentStore store = new ContentStore(dir);
    byte[] content = bytes("weights");
    Digest digest = Digest.of(content);
    Files.write(store.incomingFor(digest), content);

    Path blob = store.commit(digest);

    assertEquals(dir.resolve("blobs/sha256/" + digest.hex()), blob);
    assertEquals(Optional.of(blob), store.blob(digest));
    assertArrayEquals(content, Files.readAllBytes(blob));
    assertFalse(Files.exists(store.incomingFor(digest)));
  }

  @Test
  void incomingFor_isUnderIncoming() {
    Digest digest = Digest.of(bytes("x"));
    assertEquals(
        dir.resolve("incoming/" + digest.hex()), new ContentStore(dir).incomingFor(digest));
  }

  @Test
  void blob_isEmptyWhenNotCached() {
    assertEquals(Optional.empty(), new ContentStore(dir).blob(Digest.of(bytes("absent"))));
  }

  @Test
  void verify_acceptsAnIntactBlob() throws IOException {
    ContentStore store = new ContentStore(dir);
    Digest digest = cache(store, "weights");
    assertEquals(store.blob(digest).orElseThrow(), store.verify(digest));
  }

  @Test
  void verify_detectsAndRemovesABlobAlteredOnDisk() throws IOException {
    ContentStore store = new ContentStore(dir);
    Digest digest = cache(store, "weights");
    Files.write(store.blob(digest).orElseThrow(), bytes("tampered"));

    var error = assertThrows(DigestMismatchException.class, () -> store.verify(digest));

    assertEquals(
        "cached blob "
            + digest
            + " has digest "
            + Digest.of(bytes("tampered"))
            + "; removed it from the cache so that it is fetched again",
        error.getMessage());
    assertEquals(digest, error.expected());
    assertEquals(Digest.of(bytes("tampered")), error.actual());
    assertEquals(Optional.empty(), store.blob(digest));
  }

  @Test
  void verify_handsOutABlobUnchangedSinceThisProcessVerifiedItWithoutHashing() throws IOException {
    ContentStore store = new ContentStore(dir);
    Digest digest = cache(store, "weights");
    Path blob = store.verify(digest);
    // same file, size and modification time: only a re-hash would notice the new bytes
    FileTime modified = Files.getLastModifiedTime(blob);
    Files.write(blob, bytes("WEIGHTS"));
    Files.setLastModifiedTime(blob, modified);

    assertEquals(blob, store.verify(digest));
    // another process (a restarted agent) remembers nothing and hashes it
    assertThrows(DigestMismatchException.class, () -> new ContentStore(dir).verify(digest));
  }

  @Test
  void verify_hashesAgainABlobModifiedSinceItWasVerified() throws IOException {
    ContentStore store = new ContentStore(dir);
    Digest digest = cache(store, "weights");
    Path blob = store.verify(digest);
    FileTime modified = Files.getLastModifiedTime(blob);
    Files.write(blob, bytes("WEIGHTS"));
    Files.setLastModifiedTime(blob, FileTime.fromMillis(modified.toMillis() + 1000));

    var error = assertThrows(DigestMismatchException.class, () -> store.verify(digest));

    assertEquals(Digest.of(bytes("WEIGHTS")), error.actual());
    assertEquals(Optional.empty(), store.blob(digest));
  }

  @Test
  void verify_hashesAgainABlobReplacedByAnotherFile() throws IOException {
    ContentStore store = new ContentStore(dir);
    Digest digest = cache(store, "weights");
    Path blob = store.verify(digest);
    Path other = Files.write(dir.resolve("other"), bytes("WEIGHTS"));
    Files.setLastModifiedTime(other, Files.getLastModifiedTime(blob));
    Files.move(other, blob, StandardCopyOption.REPLACE_EXISTING);

    assertThrows(DigestMismatchException.class, () -> store.verify(digest));
  }

  @Test
  void verify_trustsABlobThisProcessCommittedUntilItChanges() throws IOException {
    ContentStore store = new ContentStore(dir);
    Digest digest = Digest.of(bytes("weights"));
    // commit takes a download its caller verified: these bytes were not, and are not hashed again
    Files.write(store.incomingFor(digest), bytes("WEIGHTS"));
    Path blob = store.commit(digest);
    assertEquals(blob, store.verify(digest));

    Files.setLastModifiedTime(
        blob, FileTime.fromMillis(Files.getLastModifiedTime(blob).toMillis() + 1000));

    assertThrows(DigestMismatchException.class, () -> store.verify(digest));
  }

  @Test
  void verify_failsForABlobThatIsNotCached() {
    ContentStore store = new ContentStore(dir);
    assertThrows(NoSuchFileException.class, () -> store.verify(Digest.of(bytes("absent"))));
  }

  @Test
  void gc_deletesUnreferencedBlobsAndStaleDownloads() throws IOException {
    ContentStore store = new ContentStore(dir);
    Digest kept = cache(store, "kept");
    Digest dropped = cache(store, "dropped");
    Digest wanted = Digest.of(bytes("wanted"));
    Digest unwanted = Digest.of(bytes("unwanted"));
    Path wantedPart = Files.write(part(store, wanted), bytes("want"));
    Path unwantedPart = Files.write(part(store, unwanted), bytes("unwant"));
    Path stray = Files.write(dir.resolve("incoming/garbage.tmp"), bytes("g"));

    Collected collected = store.gc(Set.of(kept, wanted));

    assertEquals(new Collected(1, 2, "dropped".length() + "unwant".length() + 1), collected);
    assertTrue(store.blob(kept).isPresent());
    assertFalse(store.blob(dropped).isPresent());
    assertTrue(Files.exists(wantedPart));
    assertFalse(Files.exists(unwantedPart));
    assertFalse(Files.exists(stray));
  }

  @Test
  void sync_syncsTheBlobsCommittedSinceTheLastSync() throws IOException {
    ContentStore store = new ContentStore(dir);
    cache(store, "model");
    cache(store, "golden");

    assertEquals(2, store.sync());
    assertEquals(0, store.sync());
    cache(store, "serving");
    assertEquals(1, store.sync());
  }

  @Test
  void sync_skipsABlobCollectedSinceItsCommit() throws IOException {
    ContentStore store = new ContentStore(dir);
    Digest kept = cache(store, "kept");
    cache(store, "dropped");

    store.gc(Set.of(kept));

    assertEquals(1, store.sync());
  }

  @Test
  void sync_skipsABlobDeletedBehindItsBack() throws IOException {
    ContentStore store = new ContentStore(dir);
    Digest gone = cache(store, "gone");
    Files.delete(store.blob(gone).orElseThrow());

    assertEquals(0, store.sync());
  }

  private static Path part(ContentStore store, Digest digest) {
    return store.incomingFor(digest).resolveSibling(digest.hex() + ".part");
  }

  static Digest cache(ContentStore store, String text) throws IOException {
    Digest digest = Digest.of(bytes(text));
    Files.write(store.incomingFor(digest), bytes(text));
    store.commit(digest);
    return digest;
  }

  static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
