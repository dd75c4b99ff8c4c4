package dev.ferry.it.deploy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

/**
 * A local Maven repository for an offline {@code -Pcuda} build: every file of the real one linked
 * (metadata copied, so that Maven writes nothing back), plus, where the real one lacks ONNX
 * Runtime's 445 MB GPU jar, a small stand-in laid out like it: the CPU jar's classes and
 * placeholder libraries under the names the GPU build ships for linux-x64 and win-x64.
 */
final class GpuRuntimeRepository {
  static final String VERSION = "1.23.2";

  /** The libraries of {@code onnxruntime_gpu}, as ONNX Runtime's loader names them. */
  static final List<String> LIBRARIES =
      List.of(
          "linux-x64/libonnxruntime.so",
          "linux-x64/libonnxruntime4j_jni.so",
          "linux-x64/libonnxruntime_providers_shared.so",
          "linux-x64/libonnxruntime_providers_cuda.so",
          "linux-x64/libonnxruntime_providers_tensorrt.so",
          "win-x64/onnxruntime.dll",
          "win-x64/onnxruntime4j_jni.dll",
          "win-x64/onnxruntime_providers_shared.dll",
          "win-x64/onnxruntime_providers_cuda.dll",
          "win-x64/onnxruntime_providers_tensorrt.dll");

  private GpuRuntimeRepository() {}

  /**
   * Makes the repository.
   *
   * @param real the local repository the build uses otherwise
   * @param dir where the new one goes (created)
   * @return whether the GPU jar is a stand-in (the real one was not in {@code real})
   */
  static boolean create(Path real, Path dir) throws IOException {
    try (Stream<Path> files = Files.walk(real)) {
      for (Path file : files.filter(Files::isRegularFile).toList()) {
        Path link = dir.resolve(real.relativize(file).toString());
        Files.createDirectories(link.getParent());
        String name = file.getFileName().toString();
        if (name.endsWith(".jar") || name.endsWith(".pom")) {
          Files.createSymbolicLink(link, file);
        } else {
          Files.copy(file, link);
        }
      }
    }
    Path gpu = dir.resolve("com/microsoft/onnxruntime/onnxruntime_gpu/" + VERSION);
    if (Files.exists(gpu.resolve("onnxruntime_gpu-" + VERSION + ".jar"))) {
      return false;
    }
    Path cpu = real.resolve("com/microsoft/onnxruntime/onnxruntime/" + VERSION);
    Files.createDirectories(gpu);
    String pom = Files.readString(cpu.resolve("onnxruntime-" + VERSION + ".pom"));
    Files.writeString(
        gpu.resolve("onnxruntime_gpu-" + VERSION + ".pom"),
        pom.replace(
            "<artifactId>onnxruntime</artifactId>", "<artifactId>onnxruntime_gpu</artifactId>"));
    standIn(
        cpu.resolve("onnxruntime-" + VERSION + ".jar"),
        gpu.resolve("onnxruntime_gpu-" + VERSION + ".jar"));
    return true;
  }

  private static void standIn(Path cpuJar, Path gpuJar) throws IOException {
    try (ZipFile cpu = new ZipFile(cpuJar.toFile());
        ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(gpuJar))) {
      for (ZipEntry entry : Collections.list(cpu.entries())) {
        if (!entry.isDirectory() && !entry.getName().startsWith("ai/onnxruntime/native/")) {
          out.putNextEntry(new ZipEntry(entry.getName()));
          try (InputStream in = cpu.getInputStream(entry)) {
            in.transferTo(out);
          }
          out.closeEntry();
        }
      }
      for (String library : LIBRARIES) {
        out.putNextEntry(new ZipEntry("ai/onnxruntime/native/" + library));
        write(out, "placeholder for " + library);
        out.closeEntry();
      }
    }
  }

  private static void write(OutputStream out, String text) throws IOException {
    out.write(text.getBytes(StandardCharsets.UTF_8));
  }
}
