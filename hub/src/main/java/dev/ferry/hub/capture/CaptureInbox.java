package dev.ferry.hub.capture;

import dev.ferry.protocol.capture.CaptureSample;
import dev.ferry.protocol.files.AtomicFiles;
import dev.ferry.protocol.json.JsonCodec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Samples uploaded and not yet packed, on disk under {@code <data-dir>/captures/inbox/}: {@code
 * <model>/<version>/<day>/<device>/<id>.json}, each written atomically. A sample is stored once per
 * (device, id): a resend, before or after packing, changes nothing (packing leaves an empty {@code
 * <id>.packed} marker in its place).
 */
final class CaptureInbox {
  private final Path root;
  private final JsonCodec codec = new JsonCodec();

  CaptureInbox(Path root) {
    this.root = root;
  }

  /**
   * Stores a sample unless the device sent it before.
   *
   * @param deviceId the authenticated device
   * @param sample the sample
   * @return true when it was new
   */
  synchronized boolean store(String deviceId, CaptureSample sample) throws IOException {
    Path file = file(deviceId, sample);
    if (Files.exists(file) || Files.exists(packed(file))) {
      return false;
    }
    Files.createDirectories(file.getParent());
    AtomicFiles.write(file, codec.encode(sample));
    return true;
  }

  /**
   * The samples waiting for one model version and day.
   *
   * @param model the model
   * @param version the version
   * @param day the UTC day
   * @return the samples with their devices
   */
  synchronized List<StoredSample> waiting(String model, String version, LocalDate day)
      throws IOException {
    Path dir = root.resolve(model).resolve(version).resolve(day.toString());
    List<StoredSample> samples = new ArrayList<>();
    if (!Files.isDirectory(dir)) {
      return samples;
    }
    try (Stream<Path> files = Files.walk(dir, 2)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".json")).sorted().toList()) {
        samples.add(
            new StoredSample(
                file.getParent().getFileName().toString(),
                codec.decode(Files.readAllBytes(file), CaptureSample.class)));
      }
    }
    return samples;
  }

  /**
   * Marks samples packed: their content goes, their ids stay so that a resend is not stored again.
   *
   * @param samples the samples packed
   */
  synchronized void packed(List<StoredSample> samples) throws IOException {
    for (StoredSample stored : samples) {
      Path file = file(stored.deviceId(), stored.sample());
      Files.write(packed(file), new byte[0]);
      Files.deleteIfExists(file);
    }
  }

  private Path file(String deviceId, CaptureSample sample) {
    if (deviceId.startsWith(".")) {
      throw new IllegalArgumentException("device id " + deviceId + " cannot name a folder");
    }
    return root.resolve(sample.model())
        .resolve(sample.version())
        .resolve(DatasetPacker.dayOf(sample.capturedAt()).toString())
        .resolve(deviceId)
        .resolve(sample.id() + ".json");
  }

  private static Path packed(Path file) {
    String name = file.getFileName().toString();
    return file.resolveSibling(name.substring(0, name.length() - ".json".length()) + ".packed");
  }
}
