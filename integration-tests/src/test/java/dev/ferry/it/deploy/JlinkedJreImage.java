package dev.ferry.it.deploy;

import com.google.cloud.tools.jib.api.Containerizer;
import com.google.cloud.tools.jib.api.ImageReference;
import com.google.cloud.tools.jib.api.Jib;
import com.google.cloud.tools.jib.api.RegistryImage;
import com.google.cloud.tools.jib.api.buildplan.AbsoluteUnixPath;
import com.google.cloud.tools.jib.api.buildplan.FileEntriesLayer;
import com.google.cloud.tools.jib.api.buildplan.FilePermissions;
import com.google.cloud.tools.jib.api.buildplan.Platform;
import dev.ferry.protocol.testing.Services;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.ZipFile;

/**
 * A JRE base image made here, with no public registry: a {@code jlink}ed runtime of the JDK that
 * runs the tests, the C libraries it and ONNX Runtime link against (found with {@code ldd}), the
 * machine's {@code /bin/sh}, {@code mv} and {@code sync} (the agent's entrypoint is a script), a
 * passwd entry for the non-root user and a writable {@code /tmp}, packed by jib-core and pushed to
 * the local Distribution registry as an image index for linux/amd64 and linux/arm64, as the images
 * are built for both. Only the amd64 entry runs: there is no arm64 JDK here, so the arm64 entry
 * carries the same (x86-64) runtime, and the tests read its layers without running them. Production
 * images keep a public multi-platform JRE base.
 */
final class JlinkedJreImage {
  /** The modules a Quarkus application with ONNX Runtime, Vert.x and JDBC needs. */
  private static final String MODULES =
      "java.se,jdk.unsupported,jdk.crypto.ec,jdk.zipfs,jdk.management,jdk.naming.dns,jdk.localedata";

  private static final List<Path> TOOLS =
      List.of(Path.of("/bin/sh"), Path.of("/bin/mv"), Path.of("/bin/sync"));
  private static final Pattern LIBRARY = Pattern.compile("(/\\S+) \\(0x");
  private static final FilePermissions EXECUTABLE = FilePermissions.fromOctalString("755");

  private JlinkedJreImage() {}

  /**
   * Builds the runtime (once per work folder) and pushes the image.
   *
   * @param registry {@code host:port} of a plain-HTTP registry
   * @param work a folder for the runtime and jib's caches
   * @return the pushed image reference
   */
  static String push(String registry, Path work) throws Exception {
    Path jre = work.resolve("jre");
    Path release = jre.resolve("release");
    String version = "JAVA_VERSION=\"" + System.getProperty("java.version") + "\"";
    boolean current =
        Files.isRegularFile(jre.resolve("bin/java"))
            && Files.isRegularFile(jre.resolve("lib/server/classes.jsa"))
            && Files.isRegularFile(release)
            && Files.readAllLines(release).contains(version);
    if (!current) {
      Services.deleteTree(jre);
      Services.exec(
          Path.of(System.getProperty("java.home"), "bin", "jlink").toString(),
          "--add-modules",
          MODULES,
          "--strip-debug",
          "--no-man-pages",
          "--no-header-files",
          "--compress=2",
          // the JDK's own class-data archive, as the public JRE bases ship it: the agent's
          // entrypoint writes its archive on top of it
          "--generate-cds-archive",
          "--output",
          jre.toString());
    }
    FileEntriesLayer.Builder runtime =
        FileEntriesLayer.builder()
            .setName("jre")
            .addEntryRecursive(
                jre,
                AbsoluteUnixPath.get("/opt/java"),
                (source, target) ->
                    Files.isDirectory(source) || Files.isExecutable(source)
                        ? EXECUTABLE
                        : FilePermissions.DEFAULT_FILE_PERMISSIONS);
    FileEntriesLayer.Builder system = FileEntriesLayer.builder().setName("system");
    // a shell, mv and sync, as the public JRE bases have: the agent's entrypoint is a script
    for (Path tool : TOOLS) {
      system.addEntry(tool.toRealPath(), AbsoluteUnixPath.get(tool.toString()), EXECUTABLE);
    }
    for (Map.Entry<String, Path> library : libraries(jre, work).entrySet()) {
      system.addEntry(library.getValue(), AbsoluteUnixPath.get(library.getKey()), EXECUTABLE);
    }
    Path etc = Files.createDirectories(work.resolve("etc"));
    system.addEntry(
        Files.writeString(
            etc.resolve("passwd"),
            "root:x:0:0:root:/root:/sbin/nologin\n"
                + "ferry:x:10001:10001:Ferry:/home/jboss:/sbin/nologin\n"),
        AbsoluteUnixPath.get("/etc/passwd"));
    system.addEntry(
        Files.writeString(etc.resolve("group"), "root:x:0:\nferry:x:10001:\n"),
        AbsoluteUnixPath.get("/etc/group"));
    Path empty = Files.createDirectories(work.resolve("empty"));
    system.addEntry(empty, AbsoluteUnixPath.get("/tmp"), FilePermissions.fromOctalString("777"));
    String image = registry + "/ferry-test/jre:17";
    Jib.fromScratch()
        .setPlatforms(Set.of(new Platform("amd64", "linux"), new Platform("arm64", "linux")))
        .addFileEntriesLayer(system.build())
        .addFileEntriesLayer(runtime.build())
        .setEnvironment(
            Map.of(
                "JAVA_HOME", "/opt/java",
                "PATH", "/opt/java/bin:/usr/local/bin:/usr/bin:/bin"))
        .containerize(
            Containerizer.to(RegistryImage.named(ImageReference.parse(image)))
                .setAllowInsecureRegistries(true)
                .setBaseImageLayersCache(work.resolve("jib-cache/base"))
                .setApplicationLayersCache(work.resolve("jib-cache/app")));
    return image;
  }

  /**
   * The shared libraries that the runtime and ONNX Runtime's linux-x64 library load, by the path
   * the dynamic loader looks for them under, each with the file holding its bytes.
   */
  private static Map<String, Path> libraries(Path jre, Path work) throws IOException {
    List<Path> binaries = new ArrayList<>();
    binaries.add(jre.resolve("bin/java"));
    for (Path tool : TOOLS) {
      binaries.add(tool.toRealPath());
    }
    try (Stream<Path> files = Files.walk(jre.resolve("lib"))) {
      files.filter(f -> f.toString().endsWith(".so")).forEach(binaries::add);
    }
    binaries.add(onnxRuntimeLibrary(work));
    Map<String, Path> found = new TreeMap<>();
    for (Path binary : binaries) {
      Matcher matcher = LIBRARY.matcher(Services.exec("ldd", binary.toString()).replace("\t", " "));
      while (matcher.find()) {
        Path library = Path.of(matcher.group(1));
        if (library.startsWith(jre)) {
          continue; // the runtime's own, already in its layer
        }
        found.put(library.toString(), library.toRealPath());
      }
    }
    return found;
  }

  /** ONNX Runtime's linux-x64 library, unpacked from the agent's dependency. */
  private static Path onnxRuntimeLibrary(Path work) throws IOException {
    Path lib = Services.root().resolve("agent/target/quarkus-app/lib/main");
    Path jar;
    try (Stream<Path> files = Files.list(lib)) {
      jar =
          files
              .filter(f -> f.getFileName().toString().startsWith("com.microsoft.onnxruntime."))
              .findFirst()
              .orElseThrow(() -> new IOException("no ONNX Runtime jar in " + lib));
    }
    Path target = work.resolve("libonnxruntime.so");
    try (ZipFile zip = new ZipFile(jar.toFile());
        InputStream in =
            zip.getInputStream(zip.getEntry("ai/onnxruntime/native/linux-x64/libonnxruntime.so"))) {
      Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
    }
    return target;
  }
}
