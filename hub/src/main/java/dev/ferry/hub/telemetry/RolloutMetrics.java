package dev.ferry.hub.telemetry;

import dev.ferry.protocol.device.LatencyHistogram;
import dev.ferry.protocol.device.ModelTelemetry;
import dev.ferry.protocol.device.TelemetryBatch;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the devices of a rollout with metric gates served while it ran, per version, execution
 * provider and release variant: summed in the same transaction that counts their telemetry (so
 * exactly once), read by the rollout engine to judge the new version against the previous one on
 * the same devices.
 */
@ApplicationScoped
public class RolloutMetrics {
  /**
   * A device whose telemetry counts toward a gated rollout.
   *
   * @param deviceId the device
   * @param rolloutId the rollout
   * @param model the rollout's model
   */
  public record Watch(String deviceId, String rolloutId, String model) {}

  /** Which devices the gated rollouts watch: the rollout feature answers, from its tables. */
  public interface Watched {
    /**
     * Which of these devices running or paused rollouts with metric gates watch.
     *
     * @param c the transaction
     * @param devices the devices
     * @return one entry per device and rollout
     * @throws SQLException on a database error
     */
    List<Watch> of(Connection c, Collection<String> devices) throws SQLException;
  }

  @Inject Watched gated;

  /**
   * A version's totals.
   *
   * @param requests requests served
   * @param errors requests failed
   * @param latency their latency histogram
   */
  public record Totals(long requests, long errors, LatencyHistogram latency) {
    /** Errors per request, 0 without requests. */
    public double errorRate() {
      return requests == 0 ? 0 : (double) errors / requests;
    }
  }

  /**
   * Which version served, which variant of its release, and on which execution provider.
   *
   * @param version the version
   * @param provider the execution provider it ran on; empty for totals summed before providers
   * @param variant the release variant; empty for the release's only or default one (telemetry that
   *     names none: a release of one model file, an older agent, totals summed before variants)
   */
  public record ServedOn(String version, String provider, String variant) {
    /** The variant's name, or null for the default one. */
    public String variantOrNull() {
      return variant.isEmpty() ? null : variant;
    }
  }

  /**
   * Adds new telemetry batches to the totals of the gated rollouts their devices are in.
   *
   * @param c the transaction counting the batches
   * @param fresh batches counted for the first time
   */
  void record(Connection c, List<TelemetryBatch> fresh) throws SQLException {
    Set<String> devices = new HashSet<>();
    fresh.forEach(batch -> devices.add(batch.deviceId()));
    Map<String, List<Watch>> watched = byDevice(gated.of(c, devices));
    if (watched.isEmpty()) {
      return;
    }
    Map<List<Object>, Aggregate> sums = new LinkedHashMap<>();
    for (TelemetryBatch batch : fresh) {
      for (Watch watch : watched.getOrDefault(batch.deviceId(), List.of())) {
        for (ModelTelemetry model : batch.models()) {
          if (model.name().equals(watch.model())) {
            sums.computeIfAbsent(key(watch, model), k -> new Aggregate()).add(model);
          }
        }
      }
    }
    for (var entry : sums.entrySet()) {
      AggregateRows.add(
          c,
          "rollout_variant_metrics",
          List.of("rollout_id", "version", "provider", "variant"),
          entry.getKey(),
          entry.getValue());
    }
  }

  /**
   * The totals of a rollout's devices per version, execution provider and variant.
   *
   * @param c the transaction
   * @param rolloutId the rollout
   * @return totals by version, provider and variant
   */
  public static Map<ServedOn, Totals> totals(Connection c, String rolloutId) throws SQLException {
    Map<ServedOn, Totals> totals = new HashMap<>();
    try (PreparedStatement query =
        c.prepareStatement(
            "SELECT version, provider, variant, requests, errors, latency"
                + " FROM rollout_variant_metrics WHERE rollout_id = ?")) {
      query.setString(1, rolloutId);
      try (ResultSet row = query.executeQuery()) {
        while (row.next()) {
          totals.put(
              new ServedOn(row.getString(1), row.getString(2), row.getString(3)),
              new Totals(row.getLong(4), row.getLong(5), AggregateRows.decode(row.getString(6))));
        }
      }
    }
    return totals;
  }

  /** The row a model's telemetry adds to: its rollout, version, provider and variant. */
  private static List<Object> key(Watch watch, ModelTelemetry model) {
    String variant = model.variant() == null ? "" : model.variant();
    return List.of(watch.rolloutId(), model.version(), model.executionProvider(), variant);
  }

  private static Map<String, List<Watch>> byDevice(List<Watch> all) {
    Map<String, List<Watch>> watched = new HashMap<>();
    for (Watch watch : all) {
      watched.computeIfAbsent(watch.deviceId(), k -> new ArrayList<>()).add(watch);
    }
    return watched;
  }
}
