package dev.ferry.hub.capture;

import dev.ferry.hub.api.ApiException;
import dev.ferry.hub.api.ErrorCode;
import dev.ferry.hub.db.Jdbc;
import dev.ferry.hub.db.RowLockWait;
import dev.ferry.protocol.capture.CaptureReceipt;
import dev.ferry.protocol.capture.CaptureSample;
import dev.ferry.protocol.capture.CaptureUpload;
import dev.ferry.protocol.oci.Digest;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Takes an upload from an authenticated device, all of it or none: a sample sent before is
 * acknowledged again; every new one must pass {@link CaptureAdmission}, else the upload is refused
 * naming each refused sample and nothing is stored. The device's row is locked meanwhile, so two
 * uploads of one device, to any replicas, are counted against the caps one after the other.
 */
final class CaptureIntake {
  private static final String LOCK_DEVICE = "SELECT id FROM device WHERE id = ? FOR UPDATE";

  /**
   * How long an upload waits behind the same device's others: several of ~2 MB each, well past H2's
   * default of 2 s; past it the upload is answered 503 with Retry-After.
   */
  private static final Duration LOCK_WAIT = Duration.ofSeconds(30);

  private final CaptureGrants grants;
  private final CaptureLimits limits;
  private final java.util.function.Function<String, Map<String, String>> labels;

  /**
   * @param grants looks up what a device may send
   * @param limits the hub's own bounds
   * @param labels a device's labels as the hub knows them
   */
  CaptureIntake(
      CaptureGrants grants,
      CaptureLimits limits,
      java.util.function.Function<String, Map<String, String>> labels) {
    this.grants = grants;
    this.limits = limits;
    this.labels = labels;
  }

  /** Stores the upload in the caller's transaction or throws, naming the samples refused. */
  CaptureReceipt receive(Connection c, String deviceId, CaptureUpload upload, Instant now)
      throws SQLException {
    lock(c, deviceId);
    List<CaptureSample> samples = upload.samples();
    Set<String> known = SampleRows.known(c, deviceId, samples.stream().map(s -> s.id()).toList());
    Map<String, CaptureGrant> grants = grants(c, deviceId, samples);
    CaptureAdmission admission = admission(c, deviceId, grants, now);
    Map<String, String> refused = new LinkedHashMap<>();
    for (int i = 0; i < samples.size(); i++) {
      if (!known.contains(samples.get(i).id())) {
        CaptureSample sample = samples.get(i);
        admission.check(i, sample).ifPresent(r -> refused.put(sample.id(), r));
      }
    }
    if (!refused.isEmpty()) {
      throw refusal(refused);
    }
    store(c, deviceId, fresh(samples, known), grants, now);
    return new CaptureReceipt(samples.stream().map(CaptureSample::id).distinct().toList());
  }

  /** The samples not sent before, each once. */
  private static List<CaptureSample> fresh(List<CaptureSample> samples, Set<String> known) {
    Map<String, CaptureSample> fresh = new LinkedHashMap<>();
    samples.stream()
        .filter(s -> !known.contains(s.id()))
        .forEach(s -> fresh.putIfAbsent(s.id(), s));
    return List.copyOf(fresh.values());
  }

  /** Stores new samples, each with the policy it came under. */
  private static void store(
      Connection c,
      String deviceId,
      List<CaptureSample> samples,
      Map<String, CaptureGrant> grants,
      Instant now)
      throws SQLException {
    for (CaptureGrant grant : grants.values()) {
      if (grant.record() != null) {
        PolicyRecords.remember(c, grant.record());
      }
    }
    SampleRows.insertNew(c, deviceId, samples, sample -> digest(grants.get(key(sample))), now);
  }

  private static Digest digest(CaptureGrant grant) {
    return grant.record() == null ? null : grant.record().digest();
  }

  /** The grants of an upload's model versions, looked up once each. */
  private Map<String, CaptureGrant> grants(
      Connection c, String deviceId, List<CaptureSample> samples) throws SQLException {
    Map<String, String> deviceLabels = labels.apply(deviceId);
    Map<String, CaptureGrant> byVersion = new HashMap<>();
    for (CaptureSample s : samples) {
      if (!byVersion.containsKey(key(s))) {
        byVersion.put(key(s), grants.of(c, deviceId, deviceLabels, s.model(), s.version()));
      }
    }
    return byVersion;
  }

  private CaptureAdmission admission(
      Connection c, String deviceId, Map<String, CaptureGrant> byVersion, Instant now) {
    CaptureUsage usage =
        new CaptureUsage((model, from, to) -> SampleRows.used(c, deviceId, model, from, to));
    return new CaptureAdmission(deviceId, CaptureAdmission.cached(byVersion), usage, limits, now);
  }

  private static String key(CaptureSample sample) {
    return sample.model() + "@" + sample.version();
  }

  private static void lock(Connection c, String deviceId) throws SQLException {
    boolean found;
    try (RowLockWait wait = RowLockWait.of(c, LOCK_WAIT)) {
      found = !Jdbc.query(c, LOCK_DEVICE, row -> 1, deviceId).isEmpty();
    }
    if (!found) {
      // not the samples' fault: the device retries once its first report has arrived
      throw new ApiException(
          ErrorCode.UNAVAILABLE,
          "device '"
              + deviceId
              + "' has not reported to the hub yet, so nothing is assigned to it: retry later");
    }
  }

  private static ApiException refusal(Map<String, String> refused) {
    String first = refused.values().iterator().next();
    String more = refused.size() > 1 ? " (and " + (refused.size() - 1) + " more)" : "";
    return new ApiException(
        ErrorCode.UNPROCESSABLE,
        "capture upload refused, nothing stored: " + first + more,
        Map.of("refused", new ArrayList<>(refused.keySet()), "reasons", refused));
  }
}
