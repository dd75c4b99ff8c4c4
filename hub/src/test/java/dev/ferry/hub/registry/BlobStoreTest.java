package dev.ferry.hub.registry;

import static dev.ferry.hub.registry.Artifacts.utf8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.protocol.oci.Annotations;
import dev.ferry.protocol.oci.Descriptor;
import dev.ferry.protocol.oci.Digest;
import dev.ferry.protocol.oci.DigestMismatchException;
import dev.ferry.protocol.oci.Manifest;
import dev.ferry.protocol.oci.MediaTypes;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BlobStoreTest {
  @TempDir Path root;
  private BlobStore store;

  @BeforeEach
  void open() {
    store = new BlobStore(root);
  }

  @Test
  void putBlob_storesByDigestAndOnlyInItsRepository() throws IOException {
    byte[] bytes = utf8("weights");
    Descriptor blob = store.putBlob("models/a", MediaTypes.MODEL_WEIGHT_RAW, bytes);

    assertEquals(Descriptor.of(MediaTypes.MODEL_WEIGHT_RAW, Digest.of(bytes), 7), blob);
    Path file = root.resolve("blobs/sha256/" + blob.digest().hex());
    assertEquals(Optional.of(file), store.blob("models/a", blob.digest()));
    assertArrayEquals(bytes, Files.readAllBytes(file));
    assertEquals(Optional.empty(), store.blob("models/b", blob.digest()));
    assertEquals(Optional.of(file), store.blob(blob.digest()));
    assertTrue(store.hasRepository("models/a"));
    assertFalse(store.hasRepository("models/b"));
    assertEquals(List.of(), list("incoming"));
  }

  @Test
  void putBlob_fromAFileWithAnotherDigestKeepsNothing(@TempDir Path sources) throws IOException {
    Path file = Files.write(sources.resolve("model.onnx"), utf8("tampered"));
    Digest expected = Digest.of(utf8("original"));

    var error =
        assertThrows(
            DigestMismatchException.class,
            () -> store.putBlob("models/a", MediaTypes.MODEL_WEIGHT_RAW, file, expected));

    assertEquals(
        "blob " + expected + " has digest " + Digest.of(utf8("tampered")), error.getMessage());
    assertEquals(List.of(), list("blobs/sha256"));
    assertEquals(List.of(), list("incoming"));
    assertFalse(store.hasRepository("models/a"));
  }

  @Test
  void putBlob_fromAFileWithItsDigestStoresIt(@TempDir Path sources) throws IOException {
    Path file = Files.write(sources.resolve("model.onnx"), utf8("original"));
    Descriptor blob =
        store.putBlob("models/a", MediaTypes.MODEL_WEIGHT_RAW, file, Digest.of(utf8("original")));
    assertEquals(8, blob.size());
    assertTrue(store.blob("models/a", blob.digest()).isPresent());
  }

  @Test
  void putBlob_longerThanTheLimitKeepsNothing() {
    var error =
        assertThrows(
            BlobExceedsLimitException.class,
            () ->
                store.putBlob(
                    "models/a",
                    MediaTypes.MODEL_WEIGHT_RAW,
                    new ByteArrayInputStream(new byte[11]),
                    10));
    assertEquals("blob exceeds the limit of 10 bytes", error.getMessage());
    assertEquals(List.of(), list("blobs/sha256"));
    assertEquals(List.of(), list("incoming"));
  }

  @Test
  void putBlob_streamsAGibibyteThroughAFixedBuffer() throws IOException {
    long size = 1L << 30;
    MessageDigest sha = Digest.newSha256();
    byte[] chunk = new byte[1 << 20];
    for (int i = 0; i < chunk.length; i++) {
      chunk[i] = (byte) (i * 31);
    }
    for (long n = 0; n < size; n += chunk.length) {
      sha.update(chunk);
    }

    Descriptor blob =
        store.putBlob("models/big", MediaTypes.MODEL_WEIGHT_RAW, repeat(chunk, size), size);

    assertEquals(Descriptor.of(MediaTypes.MODEL_WEIGHT_RAW, Digest.of(sha), size), blob);
    assertEquals(size, Files.size(store.blob("models/big", blob.digest()).orElseThrow()));
  }

  @Test
  void putManifest_keepsTheBytesAndMediaTypeByTagAndDigest() throws IOException {
    Artifacts.Stored stored = Artifacts.model(store, "models/a", "1.0.0", 100, 1);

    StoredManifest byTag = store.manifest("models/a", "1.0.0").orElseThrow();
    StoredManifest byDigest = store.manifest("models/a", stored.digest().toString()).orElseThrow();

    assertEquals(byTag, byDigest);
    assertEquals(
        new StoredManifest(
            Digest.of(stored.bytes()),
            MediaTypes.OCI_MANIFEST,
            stored.bytes().length,
            root.resolve("blobs/sha256/" + stored.digest().hex())),
        byTag);
    assertArrayEquals(stored.bytes(), Files.readAllBytes(byTag.file()));
    assertEquals(
        stored.digest().toString(),
        Files.readString(root.resolve("repositories/models/a/_tags/1.0.0")));
    assertEquals(Optional.empty(), store.manifest("models/b", stored.digest().toString()));
    assertEquals(Optional.empty(), store.manifest("models/a", "2.0.0"));
  }

  @Test
  void putManifest_overwritesATagAndKeepsTheOldManifestByDigest() throws IOException {
    Artifacts.Stored first = Artifacts.model(store, "models/a", "stable", 100, 1);
    Artifacts.Stored second = Artifacts.model(store, "models/a", "stable", 100, 2);

    assertEquals(Optional.of(second.digest()), store.tag("models/a", "stable"));
    assertTrue(store.manifest("models/a", first.digest().toString()).isPresent());
    assertEquals(List.of("stable"), list("repositories/models/a/_tags"));

    assertTrue(store.deleteTag("models/a", "stable"));
    assertFalse(store.deleteTag("models/a", "stable"));
    assertEquals(Optional.empty(), store.manifest("models/a", "stable"));
    assertTrue(store.manifest("models/a", second.digest().toString()).isPresent());
  }

  @Test
  void deleteManifest_removesItsTagsAndTheBlobsNothingElseHolds() throws IOException {
    Artifacts.Stored first = Artifacts.model(store, "models/a/captures", "d1", 100, 1);
    Artifacts.Stored second = Artifacts.model(store, "models/a/captures", "d2", 100, 2);
    Artifacts.Stored other = Artifacts.model(store, "models/b", "1.0.0", 100, 1);
    Digest config = Digest.of(utf8("{\"descriptor\":{\"name\":\"m\"}}"));

    assertTrue(store.deleteManifest("models/a/captures", first.digest()));
    assertEquals(Optional.empty(), store.manifest("models/a/captures", "d1"));
    assertEquals(Optional.empty(), store.manifest("models/a/captures", first.digest().toString()));
    assertEquals(Optional.empty(), store.blob(first.digest()));
    // its weights are the same bytes as models/b's: that repository keeps the file
    assertEquals(Optional.empty(), store.blob("models/a/captures", first.model().digest()));
    assertTrue(store.blob("models/b", first.model().digest()).isPresent());
    // the config is named by the second manifest too
    assertTrue(store.blob("models/a/captures", config).isPresent());

    assertTrue(store.deleteManifest("models/a/captures", second.digest()));
    assertEquals(Optional.empty(), store.blob(second.model().digest()));
    assertEquals(Optional.empty(), store.blob(second.digest()));
    assertEquals(Optional.empty(), store.blob("models/a/captures", config));
    assertTrue(store.blob("models/b", config).isPresent());
    assertEquals(List.of(), list("repositories/models/a/captures/_tags"));
    // the index keeps only what models/b holds
    assertEquals(List.of(), list("repositories/models/a/captures/_refs"));
    assertEquals(
        Stream.of(other.digest(), other.model().digest(), config)
            .map(Digest::hex)
            .sorted()
            .toList(),
        list("holders"));
    assertFalse(store.deleteManifest("models/a/captures", second.digest()));
  }

  @Test
  void deleteManifest_readsNoManifestButItsOwnNorOtherRepositories() throws IOException {
    Artifacts.Stored first = Artifacts.model(store, "models/a/captures", "d1", 100, 1);
    Artifacts.Stored second = Artifacts.model(store, "models/a/captures", "d2", 100, 2);
    Artifacts.Stored other = Artifacts.model(store, "models/b", "1.0.0", 100, 3);
    // another manifest of the repository that could not be parsed: it is not read
    Files.writeString(store.blob(second.digest()).orElseThrow(), "not a manifest");

    assertTrue(store.deleteManifest("models/a/captures", first.digest()));

    assertEquals(Optional.empty(), store.blob(first.model().digest()));
    assertEquals(Optional.empty(), store.blob(first.digest()));
    assertTrue(store.blob("models/a/captures", second.model().digest()).isPresent());
    assertTrue(store.blob("models/b", other.model().digest()).isPresent());
  }

  @Test
  void open_indexesAStoreMadeBeforeTheIndexSoDeletingKeepsWhatOthersHold() throws IOException {
    Artifacts.Stored first = Artifacts.model(store, "models/a/captures", "d1", 100, 1);
    Artifacts.Stored second = Artifacts.model(store, "models/a/captures", "d2", 100, 2);
    Artifacts.model(store, "models/b", "1.0.0", 100, 1);
    Digest config = Digest.of(utf8("{\"descriptor\":{\"name\":\"m\"}}"));
    for (Path made : List.of(root.resolve("holders"), root.resolve("holders.indexed"))) {
      delete(made);
    }
    delete(root.resolve("repositories/models/a/captures/_refs"));
    delete(root.resolve("repositories/models/b/_refs"));

    BlobStore reopened = new BlobStore(root);
    assertTrue(reopened.deleteManifest("models/a/captures", first.digest()));

    assertEquals(Optional.empty(), reopened.blob(first.digest()));
    assertTrue(reopened.blob("models/b", first.model().digest()).isPresent());
    assertTrue(reopened.blob("models/a/captures", config).isPresent());
    assertTrue(reopened.deleteManifest("models/a/captures", second.digest()));
    assertEquals(Optional.empty(), reopened.blob(second.model().digest()));
    assertEquals(Optional.empty(), reopened.blob("models/a/captures", config));
    assertTrue(reopened.blob("models/b", config).isPresent());
  }

  @Test
  void putManifest_refusesAManifestNamingABlobTheRepositoryLacks() throws IOException {
    Descriptor config = store.putBlob("models/other", MediaTypes.MODEL_CONFIG, utf8("{}"));
    byte[] bytes =
        Artifacts.CODEC.encode(
            Manifest.of(MediaTypes.MODEL_ARTIFACT, config, List.of(), null, Map.of()));

    var error =
        assertThrows(
            IllegalArgumentException.class,
            () -> store.putManifest("models/a", "1.0.0", MediaTypes.OCI_MANIFEST, bytes));

    assertEquals(
        "manifest names "
            + config.digest()
            + ", which repository 'models/a' does not hold; put it first",
        error.getMessage());
    assertEquals(Optional.empty(), store.blob(Digest.of(bytes)));
  }

  @Test
  void putManifest_refusesOtherMediaTypes() {
    var error =
        assertThrows(
            IllegalArgumentException.class,
            () -> store.putManifest("models/a", null, "text/plain", utf8("{}")));
    assertEquals(
        "mediaType must be "
            + MediaTypes.OCI_MANIFEST
            + " or "
            + MediaTypes.OCI_INDEX
            + ": 'text/plain'",
        error.getMessage());
  }

  @Test
  void putManifest_indexesAReferrerByItsSubject() throws IOException {
    Artifacts.Stored model = Artifacts.model(store, "models/a", "1.0.0", 100, 1);
    Digest signature = Artifacts.signature(store, "models/a", model);

    List<Descriptor> referrers = store.referrers("models/a", model.digest());

    long size = Files.size(store.blob(signature).orElseThrow());
    assertEquals(
        List.of(
            new Descriptor(
                MediaTypes.OCI_MANIFEST,
                signature,
                size,
                Map.of(Annotations.CREATED, "2026-11-28T10:00:00Z"),
                MediaTypes.DSSE_ENVELOPE)),
        referrers);
    assertEquals(List.of(signature.hex()), list("referrers/" + model.digest().hex()));
    assertEquals(List.of(), store.referrers("models/b", model.digest()));
    assertEquals(List.of(), store.referrers("models/a", signature));
  }

  @Test
  void names_outsideTheDistributionRulesAreRefused() {
    var badRepository =
        assertThrows(
            IllegalArgumentException.class,
            () -> store.putBlob("../etc", MediaTypes.OCI_EMPTY, utf8("{}")));
    assertEquals(
        "repository must match "
            + Names.REPOSITORY.pattern()
            + " and be at most 255 characters: '../etc'",
        badRepository.getMessage());
    var badTag = assertThrows(IllegalArgumentException.class, () -> store.tag("models/a", ".."));
    assertEquals("tag must match " + Names.TAG.pattern() + ": '..'", badTag.getMessage());
  }

  private static void delete(Path tree) throws IOException {
    try (Stream<Path> files = Files.walk(tree)) {
      for (Path file : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(file);
      }
    }
  }

  private List<String> list(String dir) {
    try (Stream<Path> files = Files.list(root.resolve(dir))) {
      return files.map(p -> p.getFileName().toString()).sorted().toList();
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  /** {@code size} bytes of {@code chunk} repeated, generated as they are read. */
  private static InputStream repeat(byte[] chunk, long size) {
    return new InputStream() {
      private long position;

      @Override
      public int read() {
        return position < size ? chunk[(int) (position++ % chunk.length)] & 0xff : -1;
      }

      @Override
      public int read(byte[] buffer, int offset, int length) {
        if (position >= size) {
          return -1;
        }
        int at = (int) (position % chunk.length);
        int n = (int) Math.min(Math.min(length, chunk.length - at), size - position);
        System.arraycopy(chunk, at, buffer, offset, n);
        position += n;
        return n;
      }
    };
  }
}
