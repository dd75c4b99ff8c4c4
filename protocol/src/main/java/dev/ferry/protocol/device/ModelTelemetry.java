package dev.ferry.protocol.device;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.ferry.protocol.json.FieldException;
import dev.ferry.protocol.json.Fields;
import dev.ferry.protocol.release.ModelNames;
import dev.ferry.protocol.release.ReleaseVariant;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * How one model version behaved on a device during a batch's interval.
 *
 * @param name the model name
 * @param version the version that served
 * @param executionProvider the execution provider it ran on
 * @param requests inference requests served, failed ones included; every count is at most {@link
 *     Fields#MAX_COUNT}
 * @param errors failed requests by reason (for example {@code invalid_input}, {@code runtime}): at
 *     most {@value #MAX_REASONS} reasons, each matching {@code [A-Za-z0-9_.:-]{1,128}}
 * @param latency the latency histogram of the requests
 * @param variant the release variant that served, for example {@code fp16-cpu}, matching {@link
 *     ReleaseVariant#NAME}; null (absent on the wire) for a release of one model file and from
 *     older agents, which means the release's only or default variant
 */
public record ModelTelemetry(
    String name,
    String version,
    String executionProvider,
    @JsonProperty(required = true) long requests,
    Map<String, Long> errors,
    LatencyHistogram latency,
    String variant) {
  /** The most error reasons one record carries. */
  public static final int MAX_REASONS = 64;

  private static final Pattern REASON = Pattern.compile("[A-Za-z0-9_.:-]{1,128}");

  /** Checks the fields. */
  public ModelTelemetry {
    ModelNames.requireName(name, "name");
    ModelNames.requireVersion(version, "version");
    Fields.text(executionProvider, "executionProvider");
    Fields.count(requests, "requests");
    errors = Fields.map(errors, "errors");
    if (errors.size() > MAX_REASONS) {
      throw new FieldException(
          "errors", "must have at most " + MAX_REASONS + " reasons, got " + errors.size());
    }
    errors.forEach(ModelTelemetry::requireError);
    Fields.required(latency, "latency");
    if (variant != null) {
      Fields.matching(variant, ReleaseVariant.NAME, "variant");
    }
  }

  /**
   * How a version of a release of one model file behaved.
   *
   * @param name the model name
   * @param version the version that served
   * @param executionProvider the execution provider it ran on
   * @param requests inference requests served
   * @param errors failed requests by reason
   * @param latency the latency histogram of the requests
   */
  public ModelTelemetry(
      String name,
      String version,
      String executionProvider,
      long requests,
      Map<String, Long> errors,
      LatencyHistogram latency) {
    this(name, version, executionProvider, requests, errors, latency, null);
  }

  private static void requireError(String reason, long count) {
    Fields.matching(reason, REASON, "errors key");
    Fields.count(count, "errors." + reason);
  }
}
