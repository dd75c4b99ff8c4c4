package dev.ferry.agent.runtime;

import dev.ferry.protocol.release.Precision;
import dev.ferry.protocol.release.ReleaseVariant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Picks the variant of a release this device installs. Pure: the first provider of the device's
 * preference (CPU last when the preference leaves it out) that is usable here and that some variant
 * fits wins; among the variants that fit it, the one whose precision comes first in the device's
 * precision preference, then the one the release lists first; a variant that targets no provider
 * fits any.
 */
public final class VariantChooser {
  private VariantChooser() {}

  /**
   * Chooses.
   *
   * @param variants the release's variants, in its order; not empty
   * @param preference the device's provider preference, best first, any case
   * @param usable the providers that initialise on this device, upper case
   * @param precisions the precisions the device prefers, best first; those it leaves out come
   *     after, in the release's order
   * @return the variant and the provider to serve it with
   * @throws NoVariantFitsException if no usable provider fits any variant
   */
  public static VariantChoice choose(
      List<ReleaseVariant> variants,
      List<String> preference,
      Set<String> usable,
      List<Precision> precisions) {
    Comparator<ReleaseVariant> byPrecision = Comparator.comparingInt(v -> rank(v, precisions));
    for (String provider : candidates(preference)) {
      if (usable.contains(provider)) {
        Optional<ReleaseVariant> best =
            variants.stream().filter(v -> v.fits(provider)).min(byPrecision);
        if (best.isPresent()) {
          return new VariantChoice(best.get(), provider);
        }
      }
    }
    throw new NoVariantFitsException(
        "no variant fits this device: variants "
            + variants.stream().map(v -> v.name() + " " + v.providers()).toList()
            + ", usable providers "
            + new TreeSet<>(usable)
            + ", preference "
            + preference);
  }

  /**
   * Chooses for a device's provider setup.
   *
   * @param variants the release's variants, in its order; not empty
   * @param setup the device's preferences and the providers usable here
   * @return the variant and the provider to serve it with
   * @throws NoVariantFitsException if no usable provider fits any variant
   */
  public static VariantChoice choose(List<ReleaseVariant> variants, ProviderSetup setup) {
    return choose(variants, setup.preference(), setup.usable().names(), setup.precisions());
  }

  /** Where a variant's precision stands in the preference; after all of it when left out. */
  private static int rank(ReleaseVariant variant, List<Precision> precisions) {
    int at = precisions.indexOf(variant.precision());
    return at < 0 ? precisions.size() : at;
  }

  private static List<String> candidates(List<String> preference) {
    List<String> candidates = new ArrayList<>();
    preference.forEach(p -> candidates.add(p.trim().toUpperCase(Locale.ROOT)));
    if (!candidates.contains(ExecutionProviders.CPU)) {
      candidates.add(ExecutionProviders.CPU);
    }
    return candidates;
  }
}
