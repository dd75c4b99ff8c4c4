package dev.ferry.hub.packaging;

import java.util.List;

/**
 * A publish request for a release with several variants.
 *
 * @param common name, version, description, license, allowed providers, shapes and expiry; its
 *     {@code model} and {@code golden} are null
 * @param variants the variants, in the order the release manager listed them (best first where two
 *     target the same provider)
 */
public record VariantSubmission(Submission common, List<VariantUpload> variants) {
  /** Copies the list. */
  public VariantSubmission {
    variants = List.copyOf(variants);
  }
}
