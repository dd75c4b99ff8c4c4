package dev.ferry.agent.store;

import dev.ferry.protocol.json.Fields;
import dev.ferry.protocol.oci.Digest;

/**
 * The variant of a release a device installed.
 *
 * @param name the variant's name
 * @param manifestDigest its ModelPack manifest's digest (cached too)
 */
public record InstalledVariant(String name, Digest manifestDigest) {
  /** Checks the fields. */
  public InstalledVariant {
    Fields.text(name, "name");
    Fields.required(manifestDigest, "manifestDigest");
  }
}
