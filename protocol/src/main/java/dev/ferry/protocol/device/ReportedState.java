package dev.ferry.protocol.device;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.ferry.protocol.json.Fields;
import dev.ferry.protocol.json.MaxBytes;
import dev.ferry.protocol.json.Schema;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What a device has: published retained on its {@code reported} topic on every change.
 *
 * @param deviceId the device
 * @param reportedAt when the agent wrote this report
 * @param desiredSequence the sequence of the latest desired state the agent accepted; 0 if none
 * @param agentVersion the agent's version
 * @param labels the agent's own labels, for example {@code site=berlin}
 * @param executionProviders the execution providers available on the device, in preference order
 * @param models one report per assigned or installed model
 * @param rootVersion the version of the trust root the agent holds; null from older agents
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
    Integer rootVersion) {
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
  }
}
