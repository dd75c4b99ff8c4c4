package dev.ferry.protocol.device;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.ferry.protocol.json.Fields;
import dev.ferry.protocol.release.ModelNames;
import java.util.Map;

/**
 * How one model version behaved on a device during a batch's interval.
 *
 * @param name the model name
 * @param version the version that served
 * @param executionProvider the execution provider it ran on
 * @param requests inference requests served, failed ones included
 * @param errors failed requests by reason (for example {@code invalid_input}, {@code runtime})
 * @param latency the latency histogram of the requests
 */
public record ModelTelemetry(
    String name,
    String version,
    String executionProvider,
    @JsonProperty(required = true) long requests,
    Map<String, Long> errors,
    LatencyHistogram latency) {
  /** Checks the fields. */
  public ModelTelemetry {
    ModelNames.requireName(name, "name");
    ModelNames.requireVersion(version, "version");
    Fields.text(executionProvider, "executionProvider");
    Fields.atLeast(requests, 0, "requests");
    errors = Fields.map(errors, "errors");
    errors.forEach((reason, count) -> Fields.atLeast(count, 0, "errors." + reason));
    Fields.required(latency, "latency");
  }
}
