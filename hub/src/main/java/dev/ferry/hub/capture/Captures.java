package dev.ferry.hub.capture;

import dev.ferry.hub.db.Database;
import dev.ferry.hub.db.Jdbc;
import dev.ferry.hub.registry.ArtifactStore;
import dev.ferry.protocol.oci.Digest;
import dev.ferry.protocol.release.ModelNames;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.Date;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The hub's datasets, in the database every replica shares: packs a model version's day of samples
 * into dataset artifacts in the registry (one replica per day at a time), lists them, and deletes
 * those past retention with their samples.
 */
public final class Captures {
  /** The most samples one dataset holds; a busier day is packed in parts. */
  static final int MAX_SAMPLES_PER_DATASET = 2000;

  /** The most bytes of tensors one dataset holds, bar a single larger sample. */
  static final long MAX_BYTES_PER_DATASET = 256L << 20;

  private static final String CREATE_DAY =
      "INSERT INTO capture_day (model, version, utc_day) VALUES (?, ?, ?) ON CONFLICT DO NOTHING";
  private static final String LOCK_DAY =
      "SELECT utc_day FROM capture_day WHERE model = ? AND version = ? AND utc_day = ?"
          + " FOR UPDATE";

  private final Database db;
  private final DatasetPacker packer = new DatasetPacker();
  private final DatasetPush push;
  private final ArtifactStore store;
  private final Clock clock;

  /**
   * @param db the database
   * @param store the registry datasets go to
   * @param clock the clock of creation times and retention
   */
  public Captures(Database db, ArtifactStore store, Clock clock) {
    this.db = db;
    this.push = new DatasetPush(store);
    this.store = store;
    this.clock = clock;
  }

  /**
   * Packs the waiting samples of a model version and day into datasets, one or more per policy they
   * were captured under, and pushes them. Waits while another replica packs that day, then packs
   * what it left (usually nothing).
   *
   * @return the datasets made; empty when nothing waited
   */
  public List<DatasetSummary> pack(String model, String version, LocalDate day) {
    return pack(new CaptureDay(model, version, day), false).orElseThrow();
  }

  /**
   * Packs every model version's days before {@code today} that have samples waiting, skipping a day
   * another replica is packing now.
   *
   * @return the datasets made
   */
  public List<DatasetSummary> packFinished(LocalDate today) {
    return db.transaction(c -> SampleRows.waitingDays(c, today)).stream()
        .flatMap(day -> pack(day, true).stream().flatMap(List::stream))
        .toList();
  }

  /** Packs a day holding its lease row; empty when {@code skipLocked} and another holds it. */
  private Optional<List<DatasetSummary>> pack(CaptureDay day, boolean skipLocked) {
    db.transaction(c -> Jdbc.update(c, CREATE_DAY, day.model(), day.version(), date(day)));
    return db.transaction(
        c -> {
          String lock = LOCK_DAY + (skipLocked ? " SKIP LOCKED" : "");
          if (Jdbc.query(c, lock, row -> 1, day.model(), day.version(), date(day)).isEmpty()) {
            return Optional.empty();
          }
          return Optional.of(packLocked(c, day));
        });
  }

  private List<DatasetSummary> packLocked(Connection c, CaptureDay day) throws SQLException {
    List<DatasetSummary> made = new ArrayList<>();
    int part = DatasetRows.lastPart(c, day) + 1;
    SampleBatch batch;
    while (!(batch = waiting(c, day)).samples().isEmpty()) {
      Dataset dataset = packer.pack(day, part++, batch);
      DatasetSummary summary = pushed(day.model(), dataset, batch.policy());
      DatasetRows.insert(c, day, summary);
      SampleRows.packed(c, batch.samples(), dataset.name());
      made.add(summary);
    }
    return made;
  }

  private static SampleBatch waiting(Connection c, CaptureDay day) throws SQLException {
    return SampleRows.waiting(c, day, MAX_SAMPLES_PER_DATASET, MAX_BYTES_PER_DATASET);
  }

  private DatasetSummary pushed(String model, Dataset dataset, PolicyRecord policy) {
    try {
      Digest digest = push.push(model, dataset);
      return new DatasetSummary(
          dataset.name(),
          store.registry() + "/" + push.repositoryOf(model) + ":" + dataset.name(),
          digest.toString(),
          dataset.samples(),
          dataset.devices(),
          dataset.from(),
          dataset.to(),
          clock.instant(),
          DatasetPolicy.of(policy));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot push dataset " + dataset.name(), e);
    }
  }

  /** The datasets of a model version, oldest first. */
  public List<DatasetSummary> list(String model, String version) {
    checkNames(model, version);
    return db.transaction(c -> DatasetRows.list(c, model, version));
  }

  /** One dataset of a model version. */
  public Optional<DatasetSummary> find(String model, String version, String name) {
    return list(model, version).stream().filter(d -> d.name().equals(name)).findFirst();
  }

  /**
   * Deletes a model's datasets packed longer ago than the retention — the manifest and its blobs
   * from the registry, the listing, the samples' rows — and nothing else. Replicas split the work:
   * each dataset row is claimed with {@code SKIP LOCKED}. A failure stops the run; what was deleted
   * before it stays deleted.
   *
   * @return the names of the datasets deleted
   */
  public List<String> expire(String model, Duration retention) {
    ModelNames.requireName(model, "model");
    List<String> deleted = new ArrayList<>();
    Optional<String> next;
    while ((next = expireOne(model, clock.instant().minus(retention))).isPresent()) {
      deleted.add(next.get());
    }
    return deleted;
  }

  /** Deletes one expired dataset in its own transaction, so one failure undoes no other. */
  private Optional<String> expireOne(String model, java.time.Instant cutoff) {
    return db.transaction(
        c -> {
          Optional<DatasetSummary> expired = DatasetRows.expired(c, model, cutoff);
          if (expired.isPresent()) {
            delete(c, model, expired.get());
          }
          return expired.map(DatasetSummary::name);
        });
  }

  private void delete(Connection c, String model, DatasetSummary dataset) throws SQLException {
    try {
      store.deleteManifest(
          push.repositoryOf(model), dataset.name(), Digest.parse(dataset.digest()));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete dataset " + dataset.name(), e);
    }
    DatasetRows.delete(c, model, dataset.name());
    SampleRows.deleteDataset(c, model, dataset.name());
  }

  /** The models that have datasets. */
  public List<String> models() {
    return db.transaction(DatasetRows::models);
  }

  private static Date date(CaptureDay day) {
    return Date.valueOf(day.day());
  }

  private static void checkNames(String model, String version) {
    ModelNames.requireName(model, "model");
    ModelNames.requireVersion(version, "version");
  }
}
