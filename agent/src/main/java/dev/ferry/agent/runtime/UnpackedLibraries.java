package dev.ferry.agent.runtime;

import dev.ferry.agent.config.AgentConfig;
import dev.ferry.protocol.files.AtomicFiles;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.interceptor.Interceptor;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.jboss.logging.Logger;

/**
 * ONNX Runtime's native libraries unpacked once, from the jar the agent runs with, into {@code
 * ferry.agent.runtime.unpack-into}: the next start loads them from there ({@code
 * -Donnxruntime.native.path}) instead of unpacking some 22 MB into {@code java.io.tmpdir} again (a
 * tenth of a start, BENCHMARKS.md B8). The container image's entrypoint asks for it, naming a
 * directory per ONNX Runtime jar, and passes the path once the libraries are there; the systemd
 * unit has {@code deploy/systemd/agent-natives.sh} unpack them at install instead.
 */
@ApplicationScoped
public class UnpackedLibraries {
  private static final Logger LOG = Logger.getLogger(UnpackedLibraries.class);

  /** The libraries ONNX Runtime's jars carry for a platform, the GPU build's providers included. */
  static final List<String> LIBRARIES =
      List.of(
          "libonnxruntime.so",
          "libonnxruntime4j_jni.so",
          "libonnxruntime_providers_shared.so",
          "libonnxruntime_providers_cuda.so",
          "libonnxruntime_providers_tensorrt.so");

  @Inject AgentConfig config;

  /** After the other start-up observers: ONNX Runtime is loaded and the models serve by then. */
  void start(@Observes @Priority(Interceptor.Priority.APPLICATION + 1000) StartupEvent event) {
    config
        .runtime()
        .unpackInto()
        .map(dir -> dir.toAbsolutePath().normalize())
        .ifPresent(
            dir -> {
              Thread thread = new Thread(() -> unpackLogged(dir), "ferry-unpack-runtime");
              thread.setDaemon(true);
              thread.start();
            });
  }

  private static void unpackLogged(Path dir) {
    try {
      int unpacked = unpack(UnpackedLibraries.class.getClassLoader(), platform(), dir);
      LOG.infof(
          "%d of ONNX Runtime's libraries unpacked into %s: the next start loads them from there",
          unpacked, dir);
    } catch (IOException | UncheckedIOException e) {
      LOG.warnf(
          "ONNX Runtime's libraries not unpacked into %s (the agent only starts slower): %s",
          dir, e.getMessage());
    }
  }

  /**
   * Unpacks the libraries of {@code platform} into {@code dir} whole or not at all (a sibling
   * directory renamed into place), and removes the sibling directories that hold ONNX Runtime's
   * library: those of the jars before an upgrade.
   *
   * @param loader where ONNX Runtime's jar is
   * @param platform ONNX Runtime's name for it, {@code linux-x64} or {@code linux-aarch64}
   * @param dir the directory
   * @return how many libraries it holds
   * @throws IOException if the jar has none for the platform, or they cannot be written
   */
  static int unpack(ClassLoader loader, String platform, Path dir) throws IOException {
    Path partial = dir.resolveSibling(dir.getFileName() + ".partial");
    deleteTree(partial);
    Files.createDirectories(partial);
    int unpacked = 0;
    for (String library : LIBRARIES) {
      try (InputStream in =
          loader.getResourceAsStream("ai/onnxruntime/native/" + platform + "/" + library)) {
        if (in != null) {
          Files.copy(in, partial.resolve(library));
          AtomicFiles.force(partial.resolve(library));
          unpacked++;
        }
      }
    }
    if (!Files.exists(partial.resolve(LIBRARIES.get(0)))) {
      deleteTree(partial);
      throw new IOException("ONNX Runtime's jar has no " + LIBRARIES.get(0) + " for " + platform);
    }
    deleteTree(dir);
    Files.move(partial, dir, StandardCopyOption.ATOMIC_MOVE);
    AtomicFiles.syncDirectory(dir.getParent());
    try (Stream<Path> siblings = Files.list(dir.getParent())) {
      List<Path> older =
          siblings
              .filter(sibling -> !sibling.equals(dir))
              .filter(sibling -> Files.isRegularFile(sibling.resolve(LIBRARIES.get(0))))
              .toList();
      for (Path sibling : older) {
        deleteTree(sibling);
      }
    }
    return unpacked;
  }

  /** ONNX Runtime's name for this machine's platform, as its jar lays the libraries out. */
  static String platform() {
    String arch = System.getProperty("os.arch").toLowerCase(Locale.ROOT);
    return "linux-" + (arch.equals("amd64") || arch.equals("x86_64") ? "x64" : arch);
  }

  private static void deleteTree(Path path) throws IOException {
    if (!Files.exists(path)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(path)) {
      for (Path each : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(each);
      }
    }
  }
}
