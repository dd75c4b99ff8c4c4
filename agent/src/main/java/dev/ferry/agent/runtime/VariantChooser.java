package dev.ferry.agent.runtime;

import dev.ferry.protocol.release.ReleaseVariant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * Picks the variant of a release this device installs. Pure: the first provider of the device's
 * preference (CPU last when the preference leaves it out) that is usable here and that some variant
 * fits wins; among the variants that fit it, the one the release lists first; a variant that
 * targets no provider fits any.
 */
public final class VariantChooser {
  private VariantChooser() {}

  /**
   * Chooses.
   *
   * @param variants the release's variants, in its order; not empty
   * @param preference the device's provider preference, best first, any case
   * @param usable the providers that initialise on this device, upper case
   * @return the variant and the provider to serve it with
   * @throws NoVariantFitsException if no usable provider fits any variant
   */
  public static VariantChoice choose(
      List<ReleaseVariant> variants, List<String> preference, Set<String> usable) {
    for (String provider : candidates(preference)) {
      if (usable.contains(provider)) {
        for (ReleaseVariant variant : variants) {
          if (variant.fits(provider)) {
            return new VariantChoice(variant, provider);
          }
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
   * @param setup the device's preference and the providers usable here
   * @return the variant and the provider to serve it with
   * @throws NoVariantFitsException if no usable provider fits any variant
   */
  public static VariantChoice choose(List<ReleaseVariant> variants, ProviderSetup setup) {
    return choose(variants, setup.preference(), setup.usable().names());
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
