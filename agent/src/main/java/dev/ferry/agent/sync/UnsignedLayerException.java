package dev.ferry.agent.sync;

import dev.ferry.protocol.oci.Digest;

/** An artifact's serving.json or golden.json is not the layer its release statement signs. */
final class UnsignedLayerException extends Exception {
  private static final long serialVersionUID = 1L;

  UnsignedLayerException(Digest serving, Digest golden, Digest signedServing, Digest signedGolden) {
    super(
        "artifact layers serving.json "
            + serving
            + " and golden.json "
            + golden
            + " are not the signed "
            + signedServing
            + " and "
            + signedGolden);
  }
}
