package dev.ferry.it.capture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ferry.protocol.testing.Services;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A dataset as {@code skopeo copy … dir:} writes it, read by Debian's {@code /usr/bin/python3} with
 * NumPy ({@code read_dataset.py}) and by file.
 */
final class Numpy {
  static final Path PYTHON = Path.of("/usr/bin/python3");
  private static final ObjectMapper JSON = new ObjectMapper();

  private Numpy() {}

  /**
   * Each sample as NumPy reads it, in the form of {@link #sample}, sorted.
   *
   * @param dir the folder skopeo wrote
   * @return one line per sample
   */
  static List<String> read(Path dir) throws IOException {
    assertTrue(
        Files.isExecutable(PYTHON), "no " + PYTHON + ": run integration-tests/services.sh install");
    Path script = dir.resolveSibling("read_dataset.py");
    try (InputStream in = Numpy.class.getResourceAsStream("/capture/read_dataset.py")) {
      Files.write(script, in.readAllBytes());
    }
    List<String> samples = new ArrayList<>();
    for (String line :
        Services.exec(PYTHON.toString(), script.toString(), dir.toString()).split("\n")) {
      if (!line.isBlank()) {
        samples.add(sample(JSON.readTree(line)));
      }
    }
    samples.sort(null);
    return samples;
  }

  private static String sample(JsonNode sample) {
    assertEquals(false, sample.path("failed").asBoolean(), sample.toString());
    JsonNode tensors = sample.path("tensors");
    assertEquals(2, tensors.size(), sample.toString());
    assertEquals("x", tensors.get(0).path("name").asText());
    assertEquals(false, tensors.get(0).path("output").asBoolean());
    assertEquals("y", tensors.get(1).path("name").asText());
    assertEquals(true, tensors.get(1).path("output").asBoolean());
    return sample(floats(tensors.get(0).path("values")), floats(tensors.get(1).path("values")));
  }

  /** How a sample is compared: its input and output, each float written exactly. */
  static String sample(float[] x, float[] y) {
    return "x=" + Arrays.toString(x) + " y=" + Arrays.toString(y);
  }

  private static float[] floats(JsonNode values) {
    float[] floats = new float[values.size()];
    for (int i = 0; i < floats.length; i++) {
      floats[i] = (float) values.get(i).asDouble();
    }
    return floats;
  }

  /**
   * The dataset's files by their {@code org.cncf.model.filepath}.
   *
   * @param dir the folder skopeo wrote
   * @return the files' bytes
   */
  static Map<String, byte[]> files(Path dir) throws IOException {
    JsonNode manifest = JSON.readTree(dir.resolve("manifest.json").toFile());
    Map<String, byte[]> files = new TreeMap<>();
    for (JsonNode layer : manifest.path("layers")) {
      String digest = layer.path("digest").asText();
      files.put(
          layer.path("annotations").path("org.cncf.model.filepath").asText(),
          Files.readAllBytes(dir.resolve(digest.substring(digest.indexOf(':') + 1))));
    }
    return files;
  }
}
