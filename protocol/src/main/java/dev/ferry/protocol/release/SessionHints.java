package dev.ferry.protocol.release;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.ferry.protocol.json.FieldException;
import dev.ferry.protocol.json.Fields;
import dev.ferry.protocol.json.MaxBytes;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * ONNX Runtime session options a release manager suggests for a release, in {@code serving.json}.
 * The agent applies them when it builds the session; its own configuration wins where both speak
 * (the CUDA device, the TensorRT engine cache and FP16). Every field is optional: null leaves ONNX
 * Runtime's default.
 *
 * @param intraOpThreads threads inside one operator, 0..{@value #MAX_THREADS} (0 = ONNX Runtime's
 *     choice)
 * @param interOpThreads threads across operators, 0..{@value #MAX_THREADS}
 * @param graphOptimization {@code DISABLE}, {@code BASIC}, {@code EXTENDED} or {@code ALL}; null
 *     means {@code ALL}
 * @param memoryArena whether the CPU memory arena is on
 * @param memoryPattern whether memory pattern optimisation is on
 * @param providerOptions per execution provider ({@code CUDA}, {@code TENSORRT}) its ONNX Runtime
 *     options, for example {@code cudnn_conv_algo_search=HEURISTIC}; empty when none
 */
@MaxBytes(64 << 10)
public record SessionHints(
    Integer intraOpThreads,
    Integer interOpThreads,
    String graphOptimization,
    Boolean memoryArena,
    Boolean memoryPattern,
    @JsonInclude(JsonInclude.Include.NON_EMPTY) Map<String, Map<String, String>> providerOptions) {
  /** The most threads a hint may ask for. */
  public static final int MAX_THREADS = 256;

  /** The graph optimisation levels, least first. */
  public static final List<String> GRAPH_OPTIMIZATIONS =
      List.of("DISABLE", "BASIC", "EXTENDED", "ALL");

  /** No hints: ONNX Runtime's defaults. */
  public static final SessionHints NONE = new SessionHints(null, null, null, null, null, null);

  private static final Pattern PROVIDER = Pattern.compile("[A-Z][A-Z0-9_]{0,31}");
  private static final Pattern OPTION = Pattern.compile("[A-Za-z][A-Za-z0-9_.]{0,63}");
  private static final int MAX_VALUE = 256;

  /** Checks the fields. */
  public SessionHints {
    threads(intraOpThreads, "intraOpThreads");
    threads(interOpThreads, "interOpThreads");
    if (graphOptimization != null && !GRAPH_OPTIMIZATIONS.contains(graphOptimization)) {
      throw new FieldException(
          "graphOptimization",
          "must be one of " + GRAPH_OPTIMIZATIONS + ", got " + Fields.show(graphOptimization));
    }
    providerOptions = providerOptions(providerOptions);
  }

  private static void threads(Integer value, String field) {
    if (value != null && (value < 0 || value > MAX_THREADS)) {
      throw new FieldException(field, "must be 0.." + MAX_THREADS + ", got " + value);
    }
  }

  private static Map<String, Map<String, String>> providerOptions(
      Map<String, Map<String, String>> value) {
    Map<String, Map<String, String>> checked = new TreeMap<>();
    Fields.map(value, "providerOptions")
        .forEach((provider, options) -> checked.put(provider, options(provider, options)));
    return Collections.unmodifiableMap(checked);
  }

  private static Map<String, String> options(String provider, Map<String, String> options) {
    String field = "providerOptions." + provider;
    if (!PROVIDER.matcher(provider).matches()) {
      throw new FieldException(
          "providerOptions",
          "names must match " + PROVIDER.pattern() + ", got " + Fields.show(provider));
    }
    Map<String, String> checked = new TreeMap<>();
    Fields.map(options, field)
        .forEach(
            (key, v) -> {
              Fields.matching(key, OPTION, field);
              if (v.length() > MAX_VALUE) {
                throw new FieldException(
                    field + "." + key,
                    "must be at most " + MAX_VALUE + " characters, got " + v.length());
              }
              checked.put(key, v);
            });
    return Collections.unmodifiableMap(checked);
  }
}
