package dev.ferry.hub.catalog;

import dev.ferry.protocol.api.VariantSummary;
import dev.ferry.protocol.json.JsonCodec;
import dev.ferry.protocol.release.ReleaseStatement;
import dev.ferry.protocol.signing.Envelope;
import java.util.List;

/** The variants of a release, read from the release statement the hub signed. */
final class ReleaseVariants {
  private static final JsonCodec CODEC = new JsonCodec();

  private ReleaseVariants() {}

  /**
   * The variants a statement signs.
   *
   * @param statement the signed statement, or null for a draft
   * @return their summaries; empty for a release of one model file
   */
  static List<VariantSummary> of(Envelope statement) {
    if (statement == null) {
      return List.of();
    }
    ReleaseStatement decoded = CODEC.decode(statement.payloadBytes(), ReleaseStatement.class);
    return decoded.predicate().variants().stream().map(VariantSummary::of).toList();
  }
}
