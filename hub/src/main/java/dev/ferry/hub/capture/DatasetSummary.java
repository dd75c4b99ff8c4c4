package dev.ferry.hub.capture;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

/**
 * A dataset as {@code GET /api/v1/models/{m}/versions/{v}/captures} lists it.
 *
 * @param name the dataset name, its tag
 * @param reference where any OCI client pulls it, {@code registry/repository:tag}
 * @param digest the manifest digest
 * @param samples how many samples it holds
 * @param devices the devices they came from
 * @param from the earliest capture
 * @param to the latest capture
 * @param createdAt when it was packed; retention counts from here
 * @param capturedUnder the policy its samples came under; null when not known (samples stored
 *     before the hub kept it, or a row read only to expire it)
 */
public record DatasetSummary(
    String name,
    String reference,
    String digest,
    int samples,
    List<String> devices,
    Instant from,
    Instant to,
    Instant createdAt,
    DatasetPolicy capturedUnder) {

  /** Keeps the times to the microsecond the database stores, so a pack answers as a list does. */
  public DatasetSummary {
    from = micros(from);
    to = micros(to);
    createdAt = micros(createdAt);
  }

  private static Instant micros(Instant time) {
    return time == null ? null : time.truncatedTo(ChronoUnit.MICROS);
  }

  /** The same dataset, named as captured under a policy. */
  DatasetSummary withPolicy(DatasetPolicy policy) {
    return new DatasetSummary(
        name, reference, digest, samples, devices, from, to, createdAt, policy);
  }
}
