package dev.ferry.it.registry;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ferry.protocol.json.JsonCodec;
import dev.ferry.protocol.oci.Annotations;
import dev.ferry.protocol.oci.Descriptor;
import dev.ferry.protocol.oci.Digest;
import dev.ferry.protocol.oci.DigestMismatchException;
import dev.ferry.protocol.oci.Manifest;
import dev.ferry.protocol.oci.MediaTypes;
import dev.ferry.protocol.registry.BlobPull;
import dev.ferry.protocol.registry.BlobTooLargeException;
import dev.ferry.protocol.registry.Credentials;
import dev.ferry.protocol.registry.NotFoundException;
import dev.ferry.protocol.registry.RawManifest;
import dev.ferry.protocol.registry.RegistryClient;
import dev.ferry.protocol.registry.RegistryException;
import dev.ferry.protocol.registry.StalledTransferException;
import dev.ferry.protocol.testing.CuttingProxy;
import dev.ferry.protocol.testing.ModelPacks;
import dev.ferry.protocol.testing.Services;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The protocol's registry client against the real CNCF Distribution registry. */
class RegistryClientIT {
  private static final JsonCodec CODEC = new JsonCodec();
  private static Map<String, String> env;

  @TempDir Path dir;
  private RegistryClient client;
  private String repository;

  @BeforeAll
  static void startRegistries() {
    env = Services.start("registry", "registry-auth");
  }

  @BeforeEach
  void connect() {
    client = RegistryClient.builder(env.get("FERRY_REGISTRY")).plainHttp(true).build();
    repository = "it/model-" + Long.toHexString(System.nanoTime());
  }

  @AfterEach
  void close() {
    client.close();
  }

  /** A ModelPack artifact pushed by the client, with its parts. */
  private record Pushed(Manifest manifest, RawManifest raw, Path model, Descriptor modelLayer) {}

  private Pushed pushModelPack(String tag, int modelBytes) throws IOException {
    Path model = randomFile("model.onnx", modelBytes, 1);
    Digest modelDigest = Digest.of(Files.readAllBytes(model));
    client.pushBlob(repository, modelDigest, model, n -> {});
    byte[] serving = "{\"schema\":\"ferry.serving/v1\"}".getBytes(StandardCharsets.UTF_8);
    byte[] golden = "{\"schema\":\"ferry.golden/v1\"}".getBytes(StandardCharsets.UTF_8);
    byte[] config =
        ("{\"descriptor\":{\"name\":\"it\",\"version\":\"1.0.0\"},\"config\":{\"format\":\"onnx\"},"
                + "\"modelfs\":{\"type\":\"layers\",\"diffIds\":[\""
                + modelDigest
                + "\"]}}")
            .getBytes(StandardCharsets.UTF_8);
    Descriptor modelLayer =
        ModelPacks.layer(MediaTypes.MODEL_WEIGHT_RAW, modelDigest, modelBytes, "model.onnx");
    Manifest manifest =
        ModelPacks.pushParts(
            client,
            repository,
            modelLayer,
            config,
            serving,
            golden,
            Map.of(Annotations.CREATED, "2026-11-28T10:00:00Z"));
    byte[] bytes = CODEC.encode(manifest);
    Digest digest = client.putManifest(repository, tag, MediaTypes.OCI_MANIFEST, bytes);
    return new Pushed(
        manifest, new RawManifest(MediaTypes.OCI_MANIFEST, digest, bytes), model, modelLayer);
  }

  @Test
  void modelPack_pullsBackByTagAndByDigest() throws IOException {
    Pushed pushed = pushModelPack("1.0.0", 64 * 1024);
    RawManifest byTag = client.getManifest(repository, "1.0.0");
    RawManifest byDigest = client.getManifest(repository, pushed.raw().digest().toString());
    assertArrayEquals(pushed.raw().bytes(), byTag.bytes());
    assertArrayEquals(pushed.raw().bytes(), byDigest.bytes());
    assertEquals(pushed.raw().digest(), byTag.digest());
    assertEquals(MediaTypes.OCI_MANIFEST, byDigest.mediaType());
    Manifest decoded = CODEC.decode(byDigest.bytes(), Manifest.class);
    assertEquals(pushed.manifest(), decoded);
    assertEquals(MediaTypes.MODEL_ARTIFACT, decoded.artifactType());

    Path target = dir.resolve("model.onnx");
    BlobPull pull = client.pullBlob(repository, pushed.modelLayer(), target, n -> {});
    assertEquals(new BlobPull(0, 64 * 1024), pull);
    assertArrayEquals(Files.readAllBytes(pushed.model()), Files.readAllBytes(target));
  }

  @Test
  void skopeo_seesArtifactTypeAndMediaTypesUnchanged() throws Exception {
    Pushed pushed = pushModelPack("2.0.0", 1024);
    String raw =
        run(
            "skopeo",
            "inspect",
            "--tls-verify=false",
            "--raw",
            "docker://" + env.get("FERRY_REGISTRY") + "/" + repository + ":2.0.0");
    var tree = new ObjectMapper().readTree(raw);
    assertEquals(new ObjectMapper().readTree(pushed.raw().bytes()), tree);
    assertEquals(MediaTypes.MODEL_ARTIFACT, tree.get("artifactType").asText());
    assertEquals(MediaTypes.MODEL_CONFIG, tree.at("/config/mediaType").asText());
    List<String> layerTypes = new ArrayList<>();
    tree.get("layers").forEach(layer -> layerTypes.add(layer.get("mediaType").asText()));
    assertEquals(
        List.of(
            MediaTypes.MODEL_WEIGHT_RAW,
            MediaTypes.MODEL_WEIGHT_CONFIG_RAW,
            MediaTypes.MODEL_DATASET_RAW),
        layerTypes);
  }

  @Test
  void pullBlob_resumesACutDownloadWithRangeAndFetchesOnlyTheRest() throws Exception {
    int size = 4 * 1024 * 1024;
    Pushed pushed = pushModelPack("3.0.0", size);
    Path target = dir.resolve("model.onnx");
    int registryPort = Integer.parseInt(env.get("FERRY_REGISTRY").split(":")[1]);
    try (CuttingProxy proxy = new CuttingProxy(registryPort, size / 2, false);
        RegistryClient cut = RegistryClient.builder(proxy.address()).plainHttp(true).build()) {
      assertThrows(
          IOException.class, () -> cut.pullBlob(repository, pushed.modelLayer(), target, n -> {}));
    }
    Path part = dir.resolve("model.onnx.part");
    long partial = Files.size(part);
    assertTrue(
        partial > size / 4 && partial < size / 2, "partial download of " + partial + " bytes");
    assertFalse(Files.exists(target));

    BlobPull resumed = client.pullBlob(repository, pushed.modelLayer(), target, n -> {});
    assertEquals(new BlobPull(partial, size - partial), resumed);
    assertArrayEquals(Files.readAllBytes(pushed.model()), Files.readAllBytes(target));
    assertFalse(Files.exists(part));
  }

  @Test
  void pullBlob_abandonsAStalledTransferAndKeepsThePartForAResume() throws Exception {
    int size = 1024 * 1024;
    Pushed pushed = pushModelPack("3.1.0", size);
    Path target = dir.resolve("model.onnx");
    int registryPort = Integer.parseInt(env.get("FERRY_REGISTRY").split(":")[1]);
    try (CuttingProxy proxy = new CuttingProxy(registryPort, size / 2, true);
        RegistryClient stalled =
            RegistryClient.builder(proxy.address())
                .plainHttp(true)
                .idleTimeout(java.time.Duration.ofMillis(300))
                .build()) {
      var error =
          assertThrows(
              StalledTransferException.class,
              () -> stalled.pullBlob(repository, pushed.modelLayer(), target, n -> {}));
      assertEquals("no data for 300 ms", error.getMessage());
    }
    long partial = Files.size(dir.resolve("model.onnx.part"));
    assertTrue(partial > 0 && partial < size, "partial download of " + partial + " bytes");
    assertEquals(
        new BlobPull(partial, size - partial),
        client.pullBlob(repository, pushed.modelLayer(), target, n -> {}));
  }

  @Test
  void credentials_comeFromACredentialHelper() throws Exception {
    String registry = env.get("FERRY_REGISTRY_AUTH");
    Path helper = dir.resolve("docker-credential-ferrytest");
    Files.writeString(
        helper,
        "#!/bin/sh\nread server\n[ \"$1\" = get ] && [ \"$server\" = \""
            + registry
            + "\" ] || exit 1\necho '{\"ServerURL\":\""
            + registry
            + "\",\"Username\":\""
            + env.get("FERRY_REGISTRY_AUTH_USER")
            + "\",\"Secret\":\""
            + env.get("FERRY_REGISTRY_AUTH_PASSWORD")
            + "\"}'\n");
    Files.setPosixFilePermissions(
        helper, java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
    try (RegistryClient authed =
        RegistryClient.builder(registry)
            .plainHttp(true)
            .credentials(Credentials.helper(helper))
            .build()) {
      Digest digest = authed.pushBlob(repository, "from a helper".getBytes(StandardCharsets.UTF_8));
      assertEquals(java.util.Optional.of(13L), authed.blobSize(repository, digest));
    }
  }

  @Test
  void pullBlob_cutsABlobLongerThanItsDescriptorAndKeepsNothing() throws IOException {
    Pushed pushed = pushModelPack("4.0.0", 100 * 1024);
    Descriptor understated =
        Descriptor.of(MediaTypes.MODEL_WEIGHT_RAW, pushed.modelLayer().digest(), 60 * 1024);
    Path target = dir.resolve("model.onnx");
    AtomicLong mostSeen = new AtomicLong();
    var error =
        assertThrows(
            BlobTooLargeException.class,
            () ->
                client.pullBlob(
                    repository, understated, target, n -> mostSeen.accumulateAndGet(n, Math::max)));
    assertEquals(
        "blob " + understated.digest() + " is larger than its declared 61440 bytes",
        error.getMessage());
    assertTrue(mostSeen.get() <= 60 * 1024, "wrote " + mostSeen.get() + " bytes");
    assertEquals(List.of(), downloads());
  }

  @Test
  void pullBlob_rejectsContentThatDoesNotMatchItsDigestAndKeepsNothing() throws IOException {
    Pushed pushed = pushModelPack("5.0.0", 32 * 1024);
    Digest digest = pushed.modelLayer().digest();
    Path stored = Services.registryBlob(digest);
    byte[] corrupt = Files.readAllBytes(stored);
    corrupt[corrupt.length / 2] ^= 0x5a;
    Files.write(stored, corrupt);
    Path target = dir.resolve("model.onnx");
    var error =
        assertThrows(
            DigestMismatchException.class,
            () -> client.pullBlob(repository, pushed.modelLayer(), target, n -> {}));
    assertEquals("blob " + digest + " has digest " + Digest.of(corrupt), error.getMessage());
    assertEquals(List.of(), downloads());
  }

  @Test
  void referrers_listsASignatureThroughTheTagFallback() throws IOException {
    Pushed pushed = pushModelPack("6.0.0", 1024);
    byte[] envelope = "{\"payloadType\":\"x\"}".getBytes(StandardCharsets.UTF_8);
    Descriptor subject =
        Descriptor.of(MediaTypes.OCI_MANIFEST, pushed.raw().digest(), pushed.raw().bytes().length);
    byte[] empty = "{}".getBytes(StandardCharsets.UTF_8);
    Manifest signature =
        Manifest.of(
            MediaTypes.DSSE_ENVELOPE,
            Descriptor.of(MediaTypes.OCI_EMPTY, client.pushBlob(repository, empty), empty.length),
            List.of(
                Descriptor.of(
                    MediaTypes.DSSE_ENVELOPE,
                    client.pushBlob(repository, envelope),
                    envelope.length)),
            subject,
            Map.of());
    Digest signatureDigest = client.pushReferrer(repository, signature);

    List<Descriptor> referrers =
        client.referrers(repository, pushed.raw().digest(), MediaTypes.DSSE_ENVELOPE);
    assertEquals(1, referrers.size());
    assertEquals(signatureDigest, referrers.get(0).digest());
    assertEquals(MediaTypes.DSSE_ENVELOPE, referrers.get(0).artifactType());
    assertEquals(
        List.of(), client.referrers(repository, pushed.raw().digest(), "application/other"));
    // pushing it again does not list it twice
    client.pushReferrer(repository, signature);
    assertEquals(1, client.referrers(repository, pushed.raw().digest(), null).size());
  }

  @Test
  void getManifest_namesTheRegistryErrorOfAnUnknownTag() throws IOException {
    pushModelPack("7.0.0", 1024);
    var error =
        assertThrows(NotFoundException.class, () -> client.getManifest(repository, "9.9.9"));
    assertTrue(error.getMessage().contains("404 MANIFEST_UNKNOWN"), error.getMessage());
  }

  @Test
  void blobSize_answersPresentAndAbsent() throws IOException {
    Pushed pushed = pushModelPack("8.0.0", 2048);
    assertEquals(
        java.util.Optional.of(2048L), client.blobSize(repository, pushed.modelLayer().digest()));
    assertEquals(
        java.util.Optional.empty(), client.blobSize(repository, Digest.of(new byte[] {1})));
  }

  @Test
  void basicAuth_worksWithCredentialsFromDockerConfig() throws IOException {
    String registry = env.get("FERRY_REGISTRY_AUTH");
    String auth =
        Base64.getEncoder()
            .encodeToString(
                (env.get("FERRY_REGISTRY_AUTH_USER")
                        + ":"
                        + env.get("FERRY_REGISTRY_AUTH_PASSWORD"))
                    .getBytes(StandardCharsets.UTF_8));
    Path config =
        Files.writeString(
            dir.resolve("config.json"),
            "{\"auths\":{\"" + registry + "\":{\"auth\":\"" + auth + "\"}}}");
    try (RegistryClient authed =
        RegistryClient.builder(registry)
            .plainHttp(true)
            .credentials(Credentials.dockerConfig(config))
            .build()) {
      byte[] blob = "secret model".getBytes(StandardCharsets.UTF_8);
      Digest digest = authed.pushBlob(repository, blob);
      Path target = dir.resolve("blob");
      authed.pullBlob(
          repository,
          Descriptor.of(MediaTypes.MODEL_WEIGHT_RAW, digest, blob.length),
          target,
          n -> {});
      assertArrayEquals(blob, Files.readAllBytes(target));
    }
  }

  @Test
  void basicAuth_rejectsAWrongPasswordAndMissingCredentials() throws IOException {
    String registry = env.get("FERRY_REGISTRY_AUTH");
    Digest digest = Digest.of(new byte[] {1});
    try (RegistryClient wrong =
            RegistryClient.builder(registry)
                .plainHttp(true)
                .credentials(Credentials.basic("ferry", "wrong"))
                .build();
        RegistryClient anonymous = RegistryClient.builder(registry).plainHttp(true).build()) {
      var denied = assertThrows(RegistryException.class, () -> wrong.blobSize(repository, digest));
      assertEquals(401, denied.status());
      assertEquals(
          registry
              + " requires credentials for "
              + repository
              + " (basic auth); none are configured",
          assertThrows(RegistryException.class, () -> anonymous.blobSize(repository, digest))
              .getMessage());
    }
  }

  private List<Path> downloads() throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(p -> !p.endsWith("sources")).toList();
    }
  }

  private Path randomFile(String name, int size, long seed) throws IOException {
    byte[] bytes = new byte[size];
    // unique content: the registry's blob store outlives test runs
    new Random(seed ^ System.nanoTime()).nextBytes(bytes);
    Path sources = Files.createDirectories(dir.resolve("sources"));
    return Files.write(sources.resolve(name), bytes);
  }

  private static String run(String... command) throws IOException, InterruptedException {
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
      throw new AssertionError(String.join(" ", command) + " failed: " + out);
    }
    return out;
  }
}
