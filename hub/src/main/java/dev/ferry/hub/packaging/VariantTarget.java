package dev.ferry.hub.packaging;

import dev.ferry.protocol.json.FieldException;
import dev.ferry.protocol.json.Fields;
import dev.ferry.protocol.release.Precision;
import dev.ferry.protocol.release.ReleaseVariant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * What a release manager says of one variant in a publish request: its name, the execution
 * providers it targets and its precision; the multipart field {@code variant}, written {@code
 * name=fp16-cuda,providers=TENSORRT;CUDA,precision=FP16}.
 *
 * @param name the variant's name
 * @param providers the providers it targets, best first; empty fits any
 * @param precision its weights' precision
 */
public record VariantTarget(String name, List<String> providers, Precision precision) {
  private static final Set<String> KEYS = Set.of("name", "providers", "precision");

  /** Checks the name and providers as the signed {@link ReleaseVariant} will. */
  public VariantTarget {
    Fields.matching(name, ReleaseVariant.NAME, "variant name");
    providers = List.copyOf(providers);
    providers.forEach(p -> Fields.matching(p, ReleaseVariant.PROVIDER, "variant providers"));
    Fields.required(precision, "variant precision");
  }

  /**
   * Parses the {@code variant} field.
   *
   * @param text for example {@code name=fp16-cuda,providers=TENSORRT;CUDA,precision=FP16}
   * @return the target
   * @throws FieldException naming {@code variant} if the text is not of that form
   */
  public static VariantTarget parse(String text) {
    Map<String, String> pairs = pairs(Fields.required(text, "variant"));
    String name = pairs.get("name");
    if (name == null || !pairs.containsKey("precision")) {
      throw new FieldException(
          "variant",
          "must give name and precision (name=fp16-cuda,providers=CUDA,precision=FP16), got "
              + Fields.show(text));
    }
    return new VariantTarget(
        name, providers(pairs.getOrDefault("providers", "")), precision(pairs.get("precision")));
  }

  /** Whether the hub can run this variant's golden check at publish, on CPU. */
  boolean runsOnCpu() {
    return providers.isEmpty() || providers.contains("CPU");
  }

  private static Map<String, String> pairs(String text) {
    Map<String, String> pairs = new HashMap<>();
    for (String pair : text.strip().split(",")) {
      int eq = pair.indexOf('=');
      String key = eq < 0 ? pair.strip() : pair.substring(0, eq).strip();
      if (eq < 0 || !KEYS.contains(key) || pairs.put(key, pair.substring(eq + 1).strip()) != null) {
        throw new FieldException(
            "variant",
            "must be name=…,providers=…,precision=… with each key once, got " + Fields.show(text));
      }
    }
    return pairs;
  }

  private static List<String> providers(String list) {
    List<String> names =
        Arrays.stream(list.split(";"))
            .map(p -> p.strip().toUpperCase(Locale.ROOT))
            .filter(p -> !p.isEmpty())
            .toList();
    if (new HashSet<>(names).size() != names.size()) {
      throw new FieldException("variant providers", "names a provider twice: " + names);
    }
    return names;
  }

  private static Precision precision(String text) {
    try {
      return Precision.valueOf(text.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new FieldException(
          "variant precision",
          "must be one of " + Arrays.toString(Precision.values()) + ", got " + Fields.show(text));
    }
  }
}
