package dev.ferry.protocol.api;

import dev.ferry.protocol.json.Fields;
import dev.ferry.protocol.oci.Digest;
import dev.ferry.protocol.release.Precision;
import dev.ferry.protocol.release.ReleaseVariant;
import java.util.List;

/**
 * One variant of a release as the API shows it.
 *
 * @param name the variant's name
 * @param providers the execution providers it targets, best first; empty fits any
 * @param precision its weights' precision
 * @param manifestDigest its ModelPack manifest, listed in the release's index
 * @param goldenCheck {@link GoldenCheck#AT_PUBLISH} when the hub ran its golden vectors on CPU,
 *     {@link GoldenCheck#ON_DEVICE} when it targets accelerators only and each device proves it
 *     before it serves
 */
public record VariantSummary(
    String name,
    List<String> providers,
    Precision precision,
    Digest manifestDigest,
    GoldenCheck goldenCheck) {
  /** Where a variant's golden vectors were, or will be, checked against the model. */
  public enum GoldenCheck {
    /** By the hub, with ONNX Runtime on CPU, when the release was published. */
    AT_PUBLISH,
    /** Only on each device, on the provider it serves with, before it serves. */
    ON_DEVICE
  }

  /** Checks the fields. */
  public VariantSummary {
    Fields.text(name, "name");
    providers = Fields.list(providers, "providers");
    Fields.required(precision, "precision");
    Fields.required(manifestDigest, "manifestDigest");
    Fields.required(goldenCheck, "goldenCheck");
  }

  /**
   * The summary of a signed variant.
   *
   * @param variant the variant as the release statement names it
   * @return its summary; the hub checks at publish every variant that runs on CPU
   */
  public static VariantSummary of(ReleaseVariant variant) {
    return new VariantSummary(
        variant.name(),
        variant.providers(),
        variant.precision(),
        variant.manifestDigest(),
        variant.runsOnCpu() ? GoldenCheck.AT_PUBLISH : GoldenCheck.ON_DEVICE);
  }
}
