package dev.ferry.hub.catalog;

import dev.ferry.hub.api.ApiException;
import dev.ferry.hub.api.ErrorCode;
import dev.ferry.hub.db.Jdbc;
import dev.ferry.hub.signing.PendingPayload;
import dev.ferry.protocol.json.Fields;
import dev.ferry.protocol.json.JsonCodec;
import dev.ferry.protocol.signing.Envelope;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;

/** Releases waiting for their signature: the payload to sign, and the step that publishes them. */
@ApplicationScoped
public class PendingReleases {
  /** A release waiting for its signature, with what it waits on. */
  public record Unsigned(Release release, PendingPayload statement, byte[] manifest) {}

  private final JsonCodec codec = new JsonCodec();

  @Inject Catalog catalog;

  /**
   * A release waiting for its signature, in the caller's transaction.
   *
   * @param c the transaction
   * @param model the model
   * @param version the version
   * @return it and its pending statement
   * @throws ApiException 404 without such a release, 409 naming its state when it is not pending
   */
  public Unsigned find(Connection c, String model, String version) throws SQLException {
    Release release =
        catalog.release(c, model, version).orElseThrow(() -> notFound(model, version));
    if (release.state() != ReleaseState.PENDING_SIGNATURE) {
      throw new ApiException(
          ErrorCode.CONFLICT,
          name(model, version)
              + " is "
              + release.state()
              + ", not "
              + ReleaseState.PENDING_SIGNATURE
              + ": nothing waits for a signature");
    }
    var row =
        Jdbc.query(
                c,
                "SELECT pending_statement, pending_manifest FROM model_release"
                    + " WHERE model = ? AND version = ?",
                r -> new String[] {r.getString(1), r.getString(2)},
                model,
                version)
            .get(0);
    PendingPayload statement =
        new PendingPayload("the statement of " + name(model, version), bytes(row[0]));
    return new Unsigned(release, statement, bytes(row[1]));
  }

  /**
   * Publishes a release with its signed statement, in the caller's transaction.
   *
   * @param c the transaction
   * @param pending the release
   * @param statement its signed statement, whose payload the caller checked
   * @return the release, {@link ReleaseState#PUBLISHED}
   */
  public Release sign(Connection c, Release pending, Envelope statement) throws SQLException {
    Jdbc.update(
        c,
        "UPDATE model_release SET state = ?, statement = ?, pending_statement = NULL,"
            + " pending_manifest = NULL WHERE model = ? AND version = ?",
        ReleaseState.PUBLISHED.name(),
        new String(codec.encode(statement), StandardCharsets.UTF_8),
        pending.name(),
        pending.version());
    return ReleaseRows.signed(pending, statement);
  }

  /** {@code model 'm' version '1.0.0'}. */
  static String name(String model, String version) {
    return "model " + Fields.show(model) + " version " + Fields.show(version);
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  private static ApiException notFound(String model, String version) {
    return new ApiException(
        ErrorCode.NOT_FOUND,
        "model " + Fields.show(model) + " has no version " + Fields.show(version));
  }
}
