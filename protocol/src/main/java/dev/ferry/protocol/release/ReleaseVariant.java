package dev.ferry.protocol.release;

import dev.ferry.protocol.json.FieldException;
import dev.ferry.protocol.json.Fields;
import dev.ferry.protocol.oci.Annotations;
import dev.ferry.protocol.oci.Digest;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * One variant of a release, as the signed {@link ReleasePredicate} names it: the same model built
 * for some execution providers at one precision, packaged as its own ModelPack manifest (listed in
 * the release's OCI image index) with its own weights, {@code serving.json} and golden vectors.
 *
 * @param name the variant's name, unique in its release, for example {@code fp16-cuda}
 * @param providers the execution providers it targets, best first, upper case without underscores
 *     ({@code TENSORRT}, {@code CUDA}, {@code CPU}); empty fits any provider
 * @param precision the precision of its weights
 * @param manifestDigest the digest of its ModelPack manifest
 * @param servingDigest the digest of its {@code serving.json} layer
 * @param goldenDigest the digest of its golden vectors layer
 */
public record ReleaseVariant(
    String name,
    List<String> providers,
    Precision precision,
    Digest manifestDigest,
    Digest servingDigest,
    Digest goldenDigest) {
  /** What a variant name looks like. */
  public static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9._-]{0,63}");

  /** What an execution provider name looks like. */
  public static final Pattern PROVIDER = Pattern.compile("[A-Z][A-Z0-9]{0,31}");

  /** Checks the fields; providers are named once each. */
  public ReleaseVariant {
    Fields.matching(name, NAME, "name");
    providers = Fields.list(providers, "providers");
    providers.forEach(p -> Fields.matching(p, PROVIDER, "providers"));
    if (new HashSet<>(providers).size() != providers.size()) {
      throw new FieldException("providers", "names a provider twice: " + providers);
    }
    Fields.required(precision, "precision");
    Fields.required(manifestDigest, "manifestDigest");
    Fields.required(servingDigest, "servingDigest");
    Fields.required(goldenDigest, "goldenDigest");
  }

  /**
   * Whether this variant may run on a provider.
   *
   * @param provider a provider name, any case
   * @return true if it targets the provider or targets none in particular
   */
  public boolean fits(String provider) {
    return providers.isEmpty() || providers.contains(provider.toUpperCase(Locale.ROOT));
  }

  /**
   * The annotations that name this variant on its index entry and its manifest.
   *
   * @return {@link Annotations#VARIANT_NAME}, {@link Annotations#VARIANT_PROVIDERS} and {@link
   *     Annotations#VARIANT_PRECISION}
   */
  public Map<String, String> annotations() {
    return Map.of(
        Annotations.VARIANT_NAME,
        name,
        Annotations.VARIANT_PROVIDERS,
        String.join(",", providers),
        Annotations.VARIANT_PRECISION,
        precision.name());
  }

  /**
   * Whether this variant can run on CPU, so that the hub can check its golden outputs at publish.
   *
   * @return true if it targets CPU or targets none in particular
   */
  public boolean runsOnCpu() {
    return fits("CPU");
  }
}
