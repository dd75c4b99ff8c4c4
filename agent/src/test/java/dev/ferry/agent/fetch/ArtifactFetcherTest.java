package dev.ferry.agent.fetch;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.agent.failure.Reason;
import dev.ferry.agent.store.ContentStore;
import dev.ferry.protocol.json.JsonCodec;
import dev.ferry.protocol.oci.Descriptor;
import dev.ferry.protocol.oci.Digest;
import dev.ferry.protocol.oci.Manifest;
import dev.ferry.protocol.oci.MediaTypes;
import dev.ferry.protocol.registry.RegistryClient;
import dev.ferry.protocol.testing.CuttingProxy;
import dev.ferry.protocol.testing.ModelPacks;
import dev.ferry.protocol.testing.Services;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Fetching artifacts from the real CNCF Distribution registry into the content store. */
class ArtifactFetcherTest {
  private static final Backoff FAST = new Backoff(Duration.ofMillis(5), Duration.ofMillis(20), 3);
  private static String registry;

  @TempDir Path dir;
  private RegistryClient client;
  private ExecutorService executor;
  private ContentStore store;
  private String repository;

  @BeforeAll
  static void startRegistry() {
    registry = Services.start("registry").get("FERRY_REGISTRY");
  }

  @BeforeEach
  void setUp() {
    client = RegistryClient.builder(registry).plainHttp(true).build();
    executor = Executors.newFixedThreadPool(3);
    store = new ContentStore(dir.resolve("agent"));
    repository = "agent-it/m" + Long.toHexString(System.nanoTime());
  }

  @AfterEach
  void tearDown() {
    executor.shutdownNow();
    client.close();
  }

  private ArtifactFetcher fetcher(RegistryClient using) {
    return new ArtifactFetcher(store, host -> using, FAST, executor);
  }

  /** Pushes a model artifact; returns its manifest digest. */
  private Digest push(byte[] model) throws Exception {
    byte[] serving = "{\"schema\":\"ferry.serving/v1\"}".getBytes(StandardCharsets.UTF_8);
    byte[] golden = "{\"schema\":\"ferry.golden/v1\"}".getBytes(StandardCharsets.UTF_8);
    Manifest manifest = ModelPacks.pushParts(client, repository, model, serving, golden);
    return client.putManifest(
        repository, "1.0.0", MediaTypes.OCI_MANIFEST, new JsonCodec().encode(manifest));
  }

  private static byte[] random(int size) {
    byte[] bytes = new byte[size];
    new Random(System.nanoTime()).nextBytes(bytes);
    return bytes;
  }

  @Test
  void fetch_cachesEveryLayerVerified() throws Exception {
    byte[] model = random(2 * 1024 * 1024);
    Digest manifest = push(model);
    long[] last = {0, 0};
    FetchedArtifact fetched =
        fetcher(client)
            .fetch(
                registry + "/" + repository,
                manifest,
                (done, total) -> {
                  last[0] = done;
                  last[1] = total;
                });
    assertArrayEquals(model, Files.readAllBytes(fetched.model()));
    assertEquals(Digest.of(model), Digest.of(fetched.model()));
    assertTrue(fetched.serving().startsWith(dir.resolve("agent")));
    long small =
        "{\"schema\":\"ferry.serving/v1\"}".length() + "{\"schema\":\"ferry.golden/v1\"}".length();
    assertEquals(model.length + small, last[0]);
    assertEquals(last[0], last[1]);
  }

  @Test
  void fetch_refusesBeforeDownloadingWhatTheDiskHasNoRoomFor() throws Exception {
    byte[] model = random(64 * 1024);
    Digest manifest = push(model);
    ArtifactFetcher full = new ArtifactFetcher(store, host -> client, FAST, executor, () -> 1000);
    FetchException e =
        assertThrows(
            FetchException.class,
            () -> full.fetch(registry + "/" + repository, manifest, (done, total) -> {}));
    long small =
        "{\"schema\":\"ferry.serving/v1\"}".length() + "{\"schema\":\"ferry.golden/v1\"}".length();
    assertEquals(Reason.DISK_FULL, e.reason());
    assertTrue(e.retryable());
    assertEquals(
        "the artifact needs "
            + (model.length + small)
            + " bytes more in the cache, its file system has 1000 free",
        e.getMessage());
    try (var incoming = Files.list(dir.resolve("agent").resolve("incoming"))) {
      assertEquals(0, incoming.count(), "nothing was written");
    }
    // with room again it downloads
    assertArrayEquals(
        model,
        Files.readAllBytes(
            fetcher(client)
                .fetch(registry + "/" + repository, manifest, (done, total) -> {})
                .model()));
  }

  @Test
  void fetch_holdsRoomForTheDownloadsGoingOn_andOneThatJoinsIsToldTheirProgress() throws Exception {
    byte[] big = random(2 * 1024 * 1024);
    Digest first = push(big);
    String firstRepository = repository;
    repository = "agent-it/m" + Long.toHexString(System.nanoTime());
    Digest second = push(random(64 * 1024));
    Digest bigBlob = Digest.of(big);
    int port = Integer.parseInt(registry.substring(registry.lastIndexOf(':') + 1));
    try (CuttingProxy proxy = new CuttingProxy(port, Long.MAX_VALUE, false);
        RegistryClient slow = RegistryClient.builder(proxy.address()).plainHttp(true).build()) {
      proxy.throttle(256 * 1024);
      long small =
          "{\"schema\":\"ferry.serving/v1\"}".length()
              + "{\"schema\":\"ferry.golden/v1\"}".length();
      // a disk with room for the first artifact and 1000 bytes more, filling as it downloads
      long room = big.length + small + 1000;
      ArtifactFetcher fetcher =
          new ArtifactFetcher(
              store, host -> slow, FAST, executor, () -> room - store.partialBytes(bigBlob));
      String from = proxy.address() + "/" + firstRepository;
      CompletableFuture<FetchedArtifact> downloading =
          CompletableFuture.supplyAsync(
              () -> {
                try {
                  return fetcher.fetch(from, first, (done, total) -> {});
                } catch (Exception e) {
                  throw new java.util.concurrent.CompletionException(e);
                }
              });
      long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
      while (store.partialBytes(bigBlob) == 0 && System.nanoTime() < deadline) {
        Thread.sleep(10);
      }
      assertTrue(fetcher.downloading().contains(bigBlob), "the first artifact is downloading");

      FetchException e =
          assertThrows(
              FetchException.class,
              () -> fetcher.fetch(proxy.address() + "/" + repository, second, (done, total) -> {}));
      assertEquals(Reason.DISK_FULL, e.reason());
      assertTrue(
          e.getMessage().matches(".* of them held for the downloads going on"), e.getMessage());

      // a second fetch of the first artifact joins its download and hears how far it is
      List<Long> heard = new java.util.concurrent.CopyOnWriteArrayList<>();
      long[] whole = {0};
      proxy.throttle(0);
      FetchedArtifact joined =
          fetcher.fetch(
              from,
              first,
              (done, total) -> {
                heard.add(done);
                whole[0] = total;
              });
      assertArrayEquals(big, Files.readAllBytes(joined.model()));
      assertEquals(
          joined.model(), downloading.get(60, java.util.concurrent.TimeUnit.SECONDS).model());
      assertEquals(big.length + small, whole[0]);
      assertEquals(whole[0], heard.get(heard.size() - 1), "the joined download's bytes counted");
    }
  }

  @Test
  void fetch_servesFromTheCacheWithNoRegistry() throws Exception {
    Digest manifest = push(random(4096));
    fetcher(client).fetch(registry + "/" + repository, manifest, (done, total) -> {});
    try (RegistryClient nowhere = RegistryClient.builder("127.0.0.1:1").plainHttp(true).build()) {
      FetchedArtifact again =
          fetcher(nowhere).fetch("127.0.0.1:1/" + repository, manifest, (done, total) -> {});
      assertTrue(Files.exists(again.model()));
    }
  }

  @Test
  void fetch_refetchesACachedLayerAlteredOnDisk() throws Exception {
    byte[] model = random(8192);
    Digest manifest = push(model);
    FetchedArtifact first =
        fetcher(client).fetch(registry + "/" + repository, manifest, (done, total) -> {});
    Files.write(first.model(), "tampered".getBytes(StandardCharsets.UTF_8));
    FetchedArtifact second =
        fetcher(client).fetch(registry + "/" + repository, manifest, (done, total) -> {});
    assertArrayEquals(model, Files.readAllBytes(second.model()));
  }

  @Test
  void fetch_givesUpOnAnUnreachableRegistryAfterItsRetries() throws Exception {
    try (RegistryClient nowhere = RegistryClient.builder("127.0.0.1:1").plainHttp(true).build()) {
      var error =
          assertThrows(
              FetchException.class,
              () ->
                  fetcher(nowhere)
                      .fetch(
                          "127.0.0.1:1/" + repository,
                          Digest.of(new byte[] {1}),
                          (done, total) -> {}));
      assertEquals(Reason.UNAVAILABLE, error.reason());
      assertTrue(
          error.getMessage().startsWith("manifest " + Digest.of(new byte[] {1})),
          error.getMessage());
    }
  }

  @Test
  void fetch_refusesAManifestThatIsNotAModelArtifact() throws Exception {
    byte[] config = "{}".getBytes(StandardCharsets.UTF_8);
    Manifest image =
        Manifest.of(
            null,
            Descriptor.of(MediaTypes.OCI_EMPTY, client.pushBlob(repository, config), 2),
            List.of(),
            null,
            Map.of());
    Digest digest =
        client.putManifest(
            repository, "img", MediaTypes.OCI_MANIFEST, new JsonCodec().encode(image));
    var error =
        assertThrows(
            FetchException.class,
            () -> fetcher(client).fetch(registry + "/" + repository, digest, (done, total) -> {}));
    assertEquals(Reason.INVALID_ARTIFACT, error.reason());
  }
}
