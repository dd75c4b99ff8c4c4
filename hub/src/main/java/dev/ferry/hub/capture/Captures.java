package dev.ferry.hub.capture;

import dev.ferry.hub.registry.ArtifactStore;
import dev.ferry.protocol.capture.CapturePolicy;
import dev.ferry.protocol.capture.CaptureReceipt;
import dev.ferry.protocol.capture.CaptureSample;
import dev.ferry.protocol.capture.CaptureUpload;
import dev.ferry.protocol.files.AtomicFiles;
import dev.ferry.protocol.json.JsonCodec;
import dev.ferry.protocol.oci.Digest;
import dev.ferry.protocol.release.ModelNames;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The hub's capture feature without HTTP: stores uploads once per (device, sample), packs a model
 * version's day into a dataset artifact in the registry, and lists the datasets packed.
 */
public final class Captures {
  /** The most samples one dataset holds; a busier day is packed in parts. */
  static final int MAX_SAMPLES_PER_DATASET = 2000;

  private final CaptureInbox inbox;
  private final Path datasets;
  private final DatasetPacker packer = new DatasetPacker();
  private final DatasetPush push;
  private final ArtifactStore store;
  private final Clock clock;
  private final JsonCodec codec = new JsonCodec();

  /**
   * @param root the capture folder, {@code <data-dir>/captures}
   * @param store the registry datasets go to
   * @param clock the clock of creation times
   */
  public Captures(Path root, ArtifactStore store, Clock clock) {
    this.inbox = new CaptureInbox(root.resolve("inbox"));
    this.datasets = root.resolve("datasets");
    this.push = new DatasetPush(store);
    this.store = store;
    this.clock = clock;
  }

  /**
   * Stores an upload from an authenticated device.
   *
   * @param deviceId the device, as authenticated
   * @param upload the samples
   * @return the ids stored, new or before
   */
  public CaptureReceipt receive(String deviceId, CaptureUpload upload) throws IOException {
    List<String> stored = new ArrayList<>();
    for (CaptureSample sample : upload.samples()) {
      inbox.store(deviceId, sample);
      stored.add(sample.id());
    }
    return new CaptureReceipt(stored);
  }

  /**
   * Packs the waiting samples of a model version and day into datasets and pushes them.
   *
   * @param model the model
   * @param version the version
   * @param day the UTC day
   * @param policy the policy in force, for the annotations; null when unknown
   * @return the datasets made; empty when nothing waited
   */
  public List<DatasetSummary> pack(
      String model, String version, LocalDate day, CapturePolicy policy) throws IOException {
    checkNames(model, version);
    List<StoredSample> waiting = inbox.waiting(model, version, day);
    List<DatasetSummary> made = new ArrayList<>();
    int part = existingParts(model, version, day) + 1;
    for (int from = 0; from < waiting.size(); from += MAX_SAMPLES_PER_DATASET, part++) {
      List<StoredSample> chunk =
          waiting.subList(from, Math.min(waiting.size(), from + MAX_SAMPLES_PER_DATASET));
      made.add(record(model, version, packer.pack(model, version, day, part, chunk, policy)));
      inbox.packed(chunk);
    }
    return made;
  }

  private DatasetSummary record(String model, String version, Dataset dataset) throws IOException {
    Digest digest = push.push(model, dataset);
    DatasetSummary summary =
        new DatasetSummary(
            dataset.name(),
            store.registry() + "/" + push.repositoryOf(model) + ":" + dataset.name(),
            digest.toString(),
            dataset.samples(),
            dataset.devices(),
            dataset.from(),
            dataset.to(),
            clock.instant());
    Path file = dir(model, version).resolve(dataset.name() + ".json");
    Files.createDirectories(file.getParent());
    AtomicFiles.write(file, codec.encode(summary));
    return summary;
  }

  /**
   * The datasets of a model version, oldest first.
   *
   * @param model the model
   * @param version the version
   * @return their summaries
   */
  public List<DatasetSummary> list(String model, String version) throws IOException {
    Path dir = dir(model, version);
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(dir)) {
      List<DatasetSummary> all = new ArrayList<>();
      for (Path file : files.filter(f -> f.toString().endsWith(".json")).toList()) {
        all.add(codec.decode(Files.readAllBytes(file), DatasetSummary.class));
      }
      all.sort(Comparator.comparing(DatasetSummary::createdAt).thenComparing(DatasetSummary::name));
      return all;
    }
  }

  /**
   * One dataset of a model version.
   *
   * @param model the model
   * @param version the version
   * @param name the dataset name
   * @return its summary, if it exists
   */
  public Optional<DatasetSummary> find(String model, String version, String name)
      throws IOException {
    return list(model, version).stream().filter(d -> d.name().equals(name)).findFirst();
  }

  /**
   * Deletes a model's datasets packed longer ago than the retention, from the registry and the
   * listing; keeps every other.
   *
   * @param model the model
   * @param retention how long a dataset is kept
   * @return the names of the datasets deleted
   */
  public List<String> expire(String model, java.time.Duration retention) throws IOException {
    ModelNames.requireName(model, "model");
    Path modelDir = datasets.resolve(model);
    if (!Files.isDirectory(modelDir)) {
      return List.of();
    }
    java.time.Instant cutoff = clock.instant().minus(retention);
    List<String> deleted = new ArrayList<>();
    try (Stream<Path> versions = Files.list(modelDir)) {
      for (Path version : versions.toList()) {
        for (DatasetSummary dataset : list(model, version.getFileName().toString())) {
          if (!dataset.createdAt().isAfter(cutoff)) {
            delete(model, version, dataset);
            deleted.add(dataset.name());
          }
        }
      }
    }
    return deleted;
  }

  private void delete(String model, Path versionDir, DatasetSummary dataset) throws IOException {
    store.deleteManifest(push.repositoryOf(model), dataset.name(), Digest.parse(dataset.digest()));
    Files.delete(versionDir.resolve(dataset.name() + ".json"));
  }

  /** The models that have datasets. */
  public List<String> models() throws IOException {
    if (!Files.isDirectory(datasets)) {
      return List.of();
    }
    try (Stream<Path> models = Files.list(datasets)) {
      return models.map(m -> m.getFileName().toString()).sorted().toList();
    }
  }

  private int existingParts(String model, String version, LocalDate day) throws IOException {
    String prefix = DatasetPacker.name(version, day, 1);
    return (int) list(model, version).stream().filter(d -> d.name().startsWith(prefix)).count();
  }

  /** The folder of a version's dataset records; the names are checked, so no path escapes. */
  private Path dir(String model, String version) {
    checkNames(model, version);
    return datasets.resolve(model).resolve(version);
  }

  private static void checkNames(String model, String version) {
    ModelNames.requireName(model, "model");
    ModelNames.requireVersion(version, "version");
  }
}
