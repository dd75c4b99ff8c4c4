package dev.ferry.agent.runtime;

import java.util.Collections;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The execution providers this agent can really use: offered by its ONNX Runtime build and proved
 * at start by a session on a tiny model ({@link ProviderProbe}).
 *
 * @param names the usable providers, upper case without underscores ({@code CUDA}); always holds
 *     {@code CPU}
 * @param refused each preferred provider that is not usable, with a one-line reason
 */
public record UsableProviders(Set<String> names, Map<String, String> refused) {
  /** Checks and copies the fields (sorted, so reports are stable). */
  public UsableProviders {
    SortedSet<String> sorted = new TreeSet<>();
    names.forEach(name -> sorted.add(name.toUpperCase(Locale.ROOT)));
    if (!sorted.contains(ExecutionProviders.CPU)) {
      throw new IllegalArgumentException("names must contain CPU, got " + sorted);
    }
    names = Collections.unmodifiableSortedSet(sorted);
    SortedMap<String, String> reasons = new TreeMap<>(refused);
    if (reasons.keySet().stream().anyMatch(sorted::contains)) {
      throw new IllegalArgumentException(
          "refused must not name a usable provider, got " + reasons.keySet() + " and " + sorted);
    }
    refused = Collections.unmodifiableSortedMap(reasons);
  }

  /** Only the CPU, with nothing refused: what tests and a CPU-only preference get. */
  public static UsableProviders cpuOnly() {
    return new UsableProviders(Set.of(ExecutionProviders.CPU), Map.of());
  }
}
