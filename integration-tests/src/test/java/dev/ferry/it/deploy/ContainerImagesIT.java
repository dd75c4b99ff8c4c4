package dev.ferry.it.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ferry.protocol.testing.Services;
import dev.ferry.protocol.testing.TestHub;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The hub and agent images as a user builds them ({@code mvn -Pimage package}, Quarkus's Jib
 * extension, no Docker engine) on a JRE base made here, pushed to the local Distribution registry
 * and read back with skopeo: one image index for linux/amd64 and linux/arm64, a non-root user, the
 * java entrypoint (the agent's through its script), ONNX Runtime's Linux libraries only, each
 * platform's layers holding the library built for its CPU (the ELF machine checked); and, where the
 * test runs as root, the amd64 image's own JVM starts the agent in a chroot of the unpacked layers
 * until it is ready, twice: the first start writes its class-data archive as it stops, the next
 * maps it. Where qemu-user-static and a Debian arm64 JVM are at hand ({@link QemuArm64Agent}), the
 * arm64 layers' agent runs under qemu and serves a model with the image's aarch64 ONNX Runtime
 * library.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ContainerImagesIT {
  private static final Set<String> SOURCES =
      Set.of("pom.xml", "protocol", "hub", "agent", "native", "integration-tests/pom.xml");
  private final ObjectMapper json = new ObjectMapper();
  private final String tag = "it-" + System.currentTimeMillis();
  private String registry;
  private Path work;
  private String base;
  private Path checkout;

  @BeforeAll
  void buildAndPushTheImages() throws Exception {
    registry = Services.start("registry").get("FERRY_REGISTRY");
    work = Files.createDirectories(Services.root().resolve("integration-tests/target/images"));
    try (Stream<Path> earlier = Files.list(work)) {
      for (Path run : earlier.filter(p -> p.getFileName().toString().startsWith("it-")).toList()) {
        Services.deleteTree(run);
      }
    }
    base = JlinkedJreImage.push(registry, work);
    // a copy of the sources: the build must not rewrite the jars this test run uses
    checkout = copySources(work.resolve("checkout"));
    String repository = System.getProperty("ferry.maven.repository");
    build(
        "image-build",
        List.of("-Pimage", "-pl", "hub,agent", "-Dquarkus.container-image.tag=" + tag),
        repository == null || repository.isBlank() ? null : Path.of(repository));
  }

  /** Builds and pushes images from the checkout with Maven, offline, in 10 minutes at most. */
  private void build(String name, List<String> options, Path localRepository) throws Exception {
    List<String> command =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("ferry.maven.home", "/usr/share/maven"), "bin", "mvn")
                    .toString(),
                "-B",
                "-q",
                "-o",
                "package",
                "-DskipTests",
                "-Dspotless.check.skip=true",
                "-am",
                "-Dquarkus.container-image.registry=" + registry,
                "-Dquarkus.container-image.insecure=true",
                "-Dquarkus.jib.base-jvm-image=" + base));
    command.addAll(options);
    if (localRepository != null) {
      command.add("-Dmaven.repo.local=" + localRepository);
    }
    Path log = work.resolve(name + ".log");
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .directory(checkout.toFile())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile());
    // jib-core caches application layers in <java.io.tmpdir>/jib-core-application-layers-cache,
    // keyed by the files' paths and times, not their content: a layer of an earlier build at the
    // same path (an ONNX Runtime jar stripped otherwise) came back. Each build gets its own cache.
    Path tmp = Files.createDirectories(work.resolve(tag).resolve(name + "-tmp"));
    String jvm = builder.environment().getOrDefault("MAVEN_OPTS", "");
    builder.environment().put("MAVEN_OPTS", (jvm + " -Djava.io.tmpdir=" + tmp).strip());
    Process build = builder.start();
    if (!build.waitFor(10, TimeUnit.MINUTES)) {
      build.descendants().forEach(ProcessHandle::destroyForcibly);
      build.destroyForcibly();
      throw new AssertionError("the " + name + " did not end in 10 minutes:\n" + tail(log));
    }
    assertEquals(0, build.exitValue(), () -> "the " + name + " failed:\n" + tail(log));
  }

  @ParameterizedTest
  @ValueSource(strings = {"hub", "agent"})
  void imageRunsAsANonRootUserWithTheJavaEntrypoint(String app) throws Exception {
    JsonNode config = json.readTree(skopeo("inspect", "--config", image(app))).path("config");
    assertEquals("10001", config.path("User").asText(), config.toString());
    List<String> entrypoint = texts(config.path("Entrypoint"));
    if (app.equals("agent")) {
      // its script picks the JVM's class-data archive options, then runs java -jar quarkus-run.jar
      assertEquals(List.of("/bin/sh", "/opt/ferry/agent.sh"), entrypoint, config.toString());
    } else {
      assertEquals("java", entrypoint.get(0), config.toString());
      assertEquals(
          List.of("-jar", "quarkus-run.jar"),
          entrypoint.subList(entrypoint.size() - 2, entrypoint.size()),
          config.toString());
    }
    assertTrue(
        texts(config.path("Env")).contains("PATH=/opt/java/bin:/usr/local/bin:/usr/bin:/bin"),
        config.toString());
    String port = app.equals("hub") ? "8080/tcp" : "8081/tcp";
    assertTrue(config.path("ExposedPorts").has(port), config.toString());
    JsonNode manifest = json.readTree(skopeo("inspect", "--raw", platformImage(app, "amd64")));
    long bytes = 0;
    for (JsonNode layer : manifest.path("layers")) {
      bytes += layer.path("size").asLong();
    }
    System.out.printf(
        "image %s: %d layers, %.1f MiB compressed%n",
        image(app), manifest.path("layers").size(), bytes / 1048576.0);
  }

  @ParameterizedTest
  @ValueSource(strings = {"hub", "agent"})
  void imageIndex_listsAmd64AndArm64(String app) throws Exception {
    JsonNode index = json.readTree(skopeo("inspect", "--raw", image(app)));
    List<String> platforms = new ArrayList<>();
    for (JsonNode entry : index.path("manifests")) {
      platforms.add(
          entry.path("platform").path("os").asText()
              + "/"
              + entry.path("platform").path("architecture").asText());
    }
    assertEquals(List.of("linux/amd64", "linux/arm64"), platforms.stream().sorted().toList());
  }

  @ParameterizedTest
  @ValueSource(strings = {"hub/amd64", "hub/arm64", "agent/amd64", "agent/arm64"})
  void eachPlatformsLayers_carryOnnxRuntimesLibraryForItsCpu(String appAndArch) throws Exception {
    String app = appAndArch.substring(0, appAndArch.indexOf('/'));
    String arch = appAndArch.substring(appAndArch.indexOf('/') + 1);
    Path rootfs = unpack(app, arch);
    assertTrue(Files.isExecutable(rootfs.resolve("opt/java/bin/java")), "no JVM in the image");
    String folder = arch.equals("amd64") ? "linux-x64" : "linux-aarch64";
    int machine = arch.equals("amd64") ? 62 : 183; // EM_X86_64, EM_AARCH64
    Path jar = onnxRuntimeJar(rootfs);
    try (ZipFile zip = new ZipFile(jar.toFile())) {
      for (String library : List.of("libonnxruntime.so", "libonnxruntime4j_jni.so")) {
        ZipEntry entry = zip.getEntry("ai/onnxruntime/native/" + folder + "/" + library);
        // say what the image held instead: a stale jib layer once gave an x64-only jar
        assertTrue(
            entry != null,
            () ->
                "no "
                    + folder
                    + "/"
                    + library
                    + " in the "
                    + arch
                    + " image; "
                    + jar
                    + " ("
                    + jar.toFile().length()
                    + " bytes) holds "
                    + natives(zip)
                    + "; layers "
                    + layersOf(app, arch));
        try (var in = zip.getInputStream(entry)) {
          byte[] header = in.readNBytes(20);
          assertEquals(0x7f, header[0], "not an ELF file: " + library);
          assertEquals(
              machine, (header[18] & 0xff) | (header[19] & 0xff) << 8, folder + "/" + library);
        }
      }
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"hub", "agent"})
  void imageCarriesOnlyTheLinuxOnnxRuntimeLibraries(String app) throws Exception {
    Path jar = onnxRuntimeJar(unpack(app, "amd64"));
    List<String> natives = new ArrayList<>();
    try (ZipFile zip = new ZipFile(jar.toFile())) {
      for (ZipEntry entry : Collections.list(zip.entries())) {
        if (!entry.isDirectory() && entry.getName().startsWith("ai/onnxruntime/native/")) {
          natives.add(entry.getName());
        }
      }
    }
    assertFalse(natives.isEmpty(), "no ONNX Runtime library in " + jar);
    assertTrue(
        natives.stream()
            .allMatch(
                n ->
                    n.startsWith("ai/onnxruntime/native/linux-x64/")
                        || n.startsWith("ai/onnxruntime/native/linux-aarch64/")),
        natives.toString());
  }

  /**
   * The agent's {@code -Pcuda} image keeps only the GPU jar's linux-x64 libraries. Without the 445
   * MB jar in the local repository it is built against {@link GpuRuntimeRepository}'s stand-in.
   */
  @Test
  void cudaImageCarriesOnlyTheLinuxX64OnnxRuntimeLibraries() throws Exception {
    String repository = System.getProperty("ferry.maven.repository", "");
    Path real =
        repository.isBlank()
            ? Path.of(System.getProperty("user.home"), ".m2", "repository")
            : Path.of(repository);
    Path local = work.resolve(tag).resolve("m2");
    boolean standIn = GpuRuntimeRepository.create(real, local);
    build(
        "cuda-image-build",
        List.of("-Pimage,cuda", "-pl", "agent", "-Dquarkus.container-image.tag=" + tag + "-cuda"),
        local);
    Path jar =
        onnxRuntimeJar(
            unpackImage("agent-cuda", "docker://" + registry + "/ferry/agent:" + tag + "-cuda"));
    assertTrue(jar.getFileName().toString().contains("onnxruntime_gpu"), jar.toString());
    try (ZipFile zip = new ZipFile(jar.toFile())) {
      List<String> natives = natives(zip);
      assertTrue(
          natives.stream().allMatch(n -> n.startsWith("ai/onnxruntime/native/linux-x64/")),
          natives.toString());
      if (standIn) {
        assertEquals(
            GpuRuntimeRepository.LIBRARIES.stream()
                .filter(library -> library.startsWith("linux-x64/"))
                .map(library -> "ai/onnxruntime/native/" + library)
                .sorted()
                .toList(),
            natives.stream().sorted().toList());
      }
    }
  }

  private static List<String> natives(ZipFile zip) {
    return Collections.list(zip.entries()).stream()
        .map(ZipEntry::getName)
        .filter(name -> name.startsWith("ai/onnxruntime/native/") && !name.endsWith("/"))
        .toList();
  }

  private String layersOf(String app, String arch) {
    try {
      Path copy = work.resolve(tag).resolve(app + "-" + arch + "-dir");
      return json.readTree(copy.resolve("manifest.json").toFile()).path("layers").toString();
    } catch (IOException e) {
      return "(unreadable: " + e.getMessage() + ")";
    }
  }

  private static Path onnxRuntimeJar(Path rootfs) throws IOException {
    try (Stream<Path> files = Files.list(rootfs.resolve("home/jboss/lib/main"))) {
      return files
          .filter(f -> f.getFileName().toString().startsWith("com.microsoft.onnxruntime."))
          .findFirst()
          .orElseThrow();
    }
  }

  @Test
  void arm64AgentServesAModelUnderQemu() throws Exception {
    assumeTrue(
        QemuArm64Agent.available(),
        "needs "
            + QemuArm64Agent.QEMU
            + " (qemu-user-static) and an arm64 JVM at "
            + QemuArm64Agent.JAVA);
    Path rootfs = unpack("agent", "arm64");
    JsonNode config =
        json.readTree(skopeo("inspect", "--config", platformImage("agent", "arm64")))
            .path("config");
    Path app = rootfs.resolve(config.path("WorkingDir").asText().substring(1));
    Path dir = Files.createDirectories(work.resolve(tag).resolve("qemu-arm64"));
    QemuArm64Agent.servesOneModel(app, registry, dir);
  }

  @Test
  void agentImageServesFromItsOwnJvm_andStartsItsNextFromTheArchiveItWrote() throws Exception {
    assumeTrue(
        "root".equals(System.getProperty("user.name")) && namespacesAllowed(),
        "a chroot and PID and mount namespaces need root with CAP_SYS_ADMIN; the image was still"
            + " built, pushed and inspected");
    Path rootfs = unpack("agent", "amd64");
    Path dev = Files.createDirectories(rootfs.resolve("dev"));
    for (String[] node : new String[][] {{"null", "3"}, {"random", "8"}, {"urandom", "9"}}) {
      if (!Files.exists(dev.resolve(node[0]))) {
        Services.exec("mknod", "-m", "666", dev.resolve(node[0]).toString(), "c", "1", node[1]);
      }
    }
    // sync on, with a broker that is not there: the agent loads ONNX Runtime (its execution
    // providers go into telemetry) from the image's library and serves offline
    Files.write(rootfs.resolve("tmp/root.json"), new TestHub().signedRoot());
    Path archive = rootfs.resolve("tmp/ferry-agent/class-data/agent.jsa");

    long first =
        startInImage(rootfs, "agent-in-image.log", "is written when the agent stops", true);
    assertTrue(Files.size(archive) > 1 << 20, "archive of " + Files.size(archive) + " bytes");
    FileTime written = Files.getLastModifiedTime(archive);
    long next =
        startInImage(rootfs, "agent-in-image-next.log", "matches this JVM and build", false);
    assertTrue(
        Files.readString(work.resolve("agent-in-image-next.log"))
            .contains("onnxruntime.native.path = /tmp/ferry-agent/onnxruntime/"),
        "the entrypoint did not load ONNX Runtime's libraries the first start unpacked");
    assertEquals(written, Files.getLastModifiedTime(archive));
    assertTrue(
        Files.readString(work.resolve("agent-in-image-next.log"))
            .contains("-XX:SharedArchiveFile=/tmp/ferry-agent/class-data/agent.jsa"),
        "the entrypoint did not map the archive");
    System.out.printf(
        "agent in its image: ready %d ms after the start that wrote its archive at its stop, %d ms"
            + " after the next, which mapped it%n",
        first, next);
  }

  /**
   * Starts the agent with the image's entrypoint, environment and user in a chroot of its layers,
   * waits until it is ready, answers {@code /v2}, and logs the class-data archive line, then stops
   * it (the JVM writes an archive as it exits). Returns the milliseconds to ready.
   */
  private long startInImage(Path rootfs, String log, String archiveLine, boolean firstRun)
      throws Exception {
    JsonNode config = json.readTree(skopeo("inspect", "--config", image("agent"))).path("config");
    List<String> command =
        new ArrayList<>(
            List.of(
                // a mount namespace of its own with /proc, as a container runtime gives
                "/usr/bin/unshare",
                "--fork",
                "--pid",
                "--kill-child=SIGTERM",
                "--mount-proc=" + Files.createDirectories(rootfs.resolve("proc")),
                "/usr/sbin/chroot",
                "--userspec=10001:10001",
                rootfs.toString()));
    command.addAll(texts(config.path("Entrypoint")));
    // the script echoes nothing: the JVM's options are read back from its command line
    command.addAll(List.of("-XX:+PrintCommandLineFlags", "-XshowSettings:properties"));
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(work.resolve(log).toFile());
    builder.environment().clear();
    for (String variable : texts(config.path("Env"))) {
      int eq = variable.indexOf('=');
      builder.environment().put(variable.substring(0, eq), variable.substring(eq + 1));
    }
    builder.environment().put("QUARKUS_HTTP_PORT", Integer.toString(port));
    builder.environment().put("FERRY_AGENT_TRUST_ROOT", "/tmp/root.json");
    builder.environment().put("FERRY_AGENT_MQTT_URL", "tcp://127.0.0.1:1");
    builder.environment().put("FERRY_AGENT_DEVICE_ID", "edge-in-image");
    builder.environment().put("FERRY_AGENT_DATA_DIR", "/tmp/ferry-agent");
    builder.environment().put("FERRY_AGENT_CLASS_ARCHIVE_KEEP_AFTER", "1s");
    long start = System.nanoTime();
    Process agent = builder.start();
    try {
      HttpClient http = HttpClient.newHttpClient();
      int status = 0;
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
      while (status != 200 && System.nanoTime() < deadline && agent.isAlive()) {
        try {
          status =
              http.send(
                      HttpRequest.newBuilder(
                              URI.create("http://127.0.0.1:" + port + "/q/health/ready"))
                          .build(),
                      HttpResponse.BodyHandlers.discarding())
                  .statusCode();
        } catch (IOException starting) {
          // not listening yet
        }
        if (status != 200) {
          TimeUnit.MILLISECONDS.sleep(50);
        }
      }
      long ready = (System.nanoTime() - start) / 1_000_000;
      assertEquals(200, status, () -> "not ready:\n" + tail(work.resolve(log)));
      if (firstRun) {
        // ONNX Runtime's own unpacking, not the copy the agent leaves the next start
        Path data = rootfs.resolve("tmp/ferry-agent");
        try (Stream<Path> unpacked = Files.walk(rootfs.resolve("tmp"))) {
          assertTrue(
              unpacked.anyMatch(
                  f ->
                      !f.startsWith(data)
                          && f.getFileName().toString().equals("libonnxruntime.so")),
              "ONNX Runtime's library was not unpacked from the image's jar");
        }
      }
      HttpResponse<String> server =
          http.send(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v2")).build(),
              HttpResponse.BodyHandlers.ofString());
      assertEquals(200, server.statusCode(), server.body());
      assertTrue(server.body().contains("ferry-agent"), server.body());
      String line = "class-data archive /tmp/ferry-agent/class-data/agent.jsa " + archiveLine;
      while (!Files.readString(work.resolve(log)).contains(line)) {
        assertTrue(
            System.nanoTime() < deadline && agent.isAlive(),
            () -> "no '" + line + "':\n" + tail(work.resolve(log)));
        TimeUnit.MILLISECONDS.sleep(200);
      }
      return ready;
    } finally {
      // the JVM under chroot changed its user, which clears unshare's parent-death signal: stop
      // it directly, then unshare
      List<ProcessHandle> tree = agent.toHandle().descendants().toList();
      tree.forEach(ProcessHandle::destroy);
      for (ProcessHandle process : tree) {
        try {
          process.onExit().get(20, TimeUnit.SECONDS);
        } catch (java.util.concurrent.TimeoutException stuck) {
          process.destroyForcibly();
        }
      }
      agent.destroy();
      if (!agent.waitFor(20, TimeUnit.SECONDS)) {
        agent.destroyForcibly();
      }
    }
  }

  private static boolean namespacesAllowed() throws Exception {
    Process probe =
        new ProcessBuilder("/usr/bin/unshare", "--fork", "--pid", "--mount", "true")
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .start();
    return probe.waitFor(30, TimeUnit.SECONDS) && probe.exitValue() == 0;
  }

  private String image(String app) {
    return "docker://" + registry + "/ferry/" + app + ":" + tag;
  }

  /** The image of one platform, by its digest in the index. */
  private String platformImage(String app, String arch) throws IOException {
    JsonNode index = json.readTree(skopeo("inspect", "--raw", image(app)));
    for (JsonNode entry : index.path("manifests")) {
      if (entry.path("platform").path("architecture").asText().equals(arch)) {
        return "docker://" + registry + "/ferry/" + app + "@" + entry.path("digest").asText();
      }
    }
    throw new AssertionError("no " + arch + " image in the index of " + image(app) + ": " + index);
  }

  private String skopeo(String... args) {
    List<String> command = new ArrayList<>(List.of("skopeo", args[0], "--tls-verify=false"));
    command.addAll(List.of(args).subList(1, args.length));
    return Services.exec(command.toArray(String[]::new));
  }

  /** One platform's layers unpacked in order into a root file system, once per test run. */
  private Path unpack(String app, String arch) throws Exception {
    return unpackImage(app + "-" + arch, platformImage(app, arch));
  }

  /** An image's layers unpacked in order into {@code <name>-rootfs}, once per test run. */
  private Path unpackImage(String name, String image) throws Exception {
    Path rootfs = work.resolve(tag + "/" + name + "-rootfs");
    if (Files.isDirectory(rootfs)) {
      return rootfs;
    }
    Path copy = Files.createDirectories(work.resolve(tag)).resolve(name + "-dir");
    Services.exec("skopeo", "copy", "--src-tls-verify=false", image, "dir:" + copy.toString());
    Files.createDirectories(rootfs);
    JsonNode manifest = json.readTree(copy.resolve("manifest.json").toFile());
    for (JsonNode layer : manifest.path("layers")) {
      String digest = layer.path("digest").asText();
      Path blob = copy.resolve(digest.substring(digest.indexOf(':') + 1));
      Services.exec("tar", "-xzf", blob.toString(), "-C", rootfs.toString());
    }
    return rootfs;
  }

  private static Path copySources(Path checkout) throws IOException {
    Path root = Services.root();
    Services.deleteTree(checkout);
    for (String source : SOURCES) {
      Path from = root.resolve(source);
      Files.createDirectories(checkout.resolve(source).getParent());
      Files.walkFileTree(
          from,
          new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs)
                throws IOException {
              if (dir.getFileName().toString().equals("target")) {
                return FileVisitResult.SKIP_SUBTREE;
              }
              Files.createDirectories(checkout.resolve(root.relativize(dir)));
              return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs)
                throws IOException {
              Files.copy(file, checkout.resolve(root.relativize(file)));
              return FileVisitResult.CONTINUE;
            }
          });
    }
    return checkout;
  }

  private static List<String> texts(JsonNode array) {
    List<String> texts = new ArrayList<>();
    array.forEach(node -> texts.add(node.asText()));
    return texts;
  }

  private static String tail(Path log) {
    try {
      List<String> lines = Files.readAllLines(log);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    } catch (IOException e) {
      return "(no log " + log + ": " + e.getMessage() + ")";
    }
  }
}
