package dev.ferry.protocol.device;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.ferry.protocol.json.FieldException;
import dev.ferry.protocol.json.Fields;
import dev.ferry.protocol.json.MaxBytes;
import dev.ferry.protocol.json.Schema;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a device has: published retained on its {@code reported} topic on every change.
 *
 * @param deviceId the device
 * @param reportedAt when the agent wrote this report
 * @param desiredSequence the sequence of the latest desired state the agent accepted; 0 if none
 * @param agentVersion the agent's version
 * @param labels the agent's own labels, for example {@code site=berlin}
 * @param executionProviders the execution providers usable on the device: offered by its ONNX
 *     Runtime build and proved at start by a session on a tiny model (never merely configured)
 * @param models one report per assigned or installed model
 * @param rootVersion the version of the trust root the agent holds; null from older agents
 * @param freshness {@value #FRESH}, or {@value #STALE} when the agent has not seen a fresh,
 *     correctly signed desired state for longer than it is configured to wait; null from older
 *     agents
 * @param revoked each release ({@code model@version}) the agent withdrew from service or refused to
 *     install because it is revoked; empty when none
 * @param providerProblems each execution provider the device prefers but cannot use, with why (for
 *     example {@code CUDA} → {@code not in this ONNX Runtime build}); empty when none
 */
@Schema("ferry.reported/v1")
@MaxBytes(256 << 10)
public record ReportedState(
    String deviceId,
    Instant reportedAt,
    @JsonProperty(required = true) long desiredSequence,
    String agentVersion,
    Map<String, String> labels,
    List<String> executionProviders,
    List<ModelReport> models,
    Integer rootVersion,
    String freshness,
    List<String> revoked,
    Map<String, String> providerProblems) {
  /** Freshness of an agent that has seen a fresh desired state. */
  public static final String FRESH = "FRESH";

  /** Freshness of an agent that has not (a freeze attack, or a hub that stopped re-signing). */
  public static final String STALE = "STALE";

  /** Checks the fields. */
  public ReportedState {
    DeviceIds.require(deviceId, "deviceId");
    Fields.required(reportedAt, "reportedAt");
    Fields.atLeast(desiredSequence, 0, "desiredSequence");
    Fields.text(agentVersion, "agentVersion");
    labels = Labels.check(labels, "labels");
    executionProviders = Fields.list(executionProviders, "executionProviders");
    models = Fields.list(models, "models");
    if (rootVersion != null) {
      Fields.atLeast(rootVersion, 1, "rootVersion");
    }
    if (freshness != null && !FRESH.equals(freshness) && !STALE.equals(freshness)) {
      throw new FieldException(
          "freshness", "must be " + FRESH + " or " + STALE + ", got " + Fields.show(freshness));
    }
    revoked = Fields.list(revoked, "revoked");
    providerProblems =
        Collections.unmodifiableSortedMap(
            new TreeMap<>(Fields.map(providerProblems, "providerProblems")));
  }
}
