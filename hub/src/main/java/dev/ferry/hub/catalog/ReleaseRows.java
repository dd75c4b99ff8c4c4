package dev.ferry.hub.catalog;

import dev.ferry.hub.db.Jdbc;
import dev.ferry.protocol.api.ReleaseRevocation;
import dev.ferry.protocol.json.JsonCodec;
import dev.ferry.protocol.oci.Digest;
import dev.ferry.protocol.release.ServingSpec;
import dev.ferry.protocol.signing.Envelope;
import java.nio.charset.StandardCharsets;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;

/**
 * Reads a {@code model_release} row, its revocation and state columns included, into a {@link
 * Release}.
 */
final class ReleaseRows {
  /** The revocation columns and the state, selected after the release's twelve. */
  static final String REVOCATION_COLUMNS = "revoked_at, revoked_reason, revoked_by, state";

  private static final JsonCodec CODEC = new JsonCodec();

  private ReleaseRows() {}

  static Release read(ResultSet row) throws SQLException {
    return new Release(
        row.getString(1),
        row.getString(2),
        row.getLong(3),
        row.getString(4),
        Digest.parse(row.getString(5)),
        row.getLong(6),
        CODEC.decode(row.getString(7).getBytes(StandardCharsets.UTF_8), ServingSpec.class),
        statement(row.getString(8)),
        row.getString(9),
        row.getString(10),
        row.getString(11),
        row.getTimestamp(12).toInstant(),
        revocation(row),
        ReleaseState.valueOf(row.getString(16)));
  }

  private static Envelope statement(String json) {
    return json == null
        ? null
        : CODEC.decode(json.getBytes(StandardCharsets.UTF_8), Envelope.class);
  }

  private static ReleaseRevocation revocation(ResultSet row) throws SQLException {
    Instant at = Jdbc.time(row, 13);
    return at == null ? null : new ReleaseRevocation(at, row.getString(14), row.getString(15));
  }

  static Release signed(Release d, Envelope statement) {
    return with(d, d.releaseSeq(), statement, ReleaseState.PUBLISHED);
  }

  static Release withSeq(Release d, long seq, Envelope statement) {
    return with(d, seq, statement, d.state());
  }

  private static Release with(Release d, long seq, Envelope statement, ReleaseState state) {
    return new Release(
        d.name(),
        d.version(),
        seq,
        d.repository(),
        d.manifestDigest(),
        d.size(),
        d.serving(),
        statement,
        d.description(),
        d.license(),
        d.createdBy(),
        d.createdAt(),
        d.revoked(),
        state);
  }
}
