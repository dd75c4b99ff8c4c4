package dev.ferry.hub.revocation;

import dev.ferry.hub.api.ApiException;
import dev.ferry.hub.api.ErrorCode;
import dev.ferry.hub.catalog.Catalog;
import dev.ferry.hub.catalog.Release;
import dev.ferry.hub.db.Database;
import dev.ferry.hub.db.Jdbc;
import dev.ferry.hub.rollout.Rollouts;
import dev.ferry.protocol.json.Fields;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * Withdraws a release: marks it, cancels its live rollouts (their waiting devices' prefetch of it
 * withdrawn), signs the revocation list again and publishes it (or leaves the list for the offline
 * release key).
 */
@ApplicationScoped
public class Revoker {
  private static final Logger LOG = Logger.getLogger(Revoker.class);

  @Inject Database db;
  @Inject Catalog catalog;
  @Inject RevocationList list;
  @Inject Rollouts rollouts;
  @Inject Clock clock;

  /**
   * A release marked revoked.
   *
   * @param release the release
   * @param listSigned whether the revocation list was signed and published; false while it waits
   *     for the offline release key
   */
  public record Revoked(Release release, boolean listSigned) {}

  /**
   * Revokes a release.
   *
   * @param model the model
   * @param version the version
   * @param reason why
   * @param actor the revoking token's name
   * @return the release, marked revoked, and whether the list is signed
   * @throws ApiException 404 if there is no such release, 409 if it is revoked already
   */
  public Revoked revoke(String model, String version, String reason, String actor) {
    Marked marked = db.transaction(c -> mark(c, model, version, reason, actor));
    Revoked revoked = marked.revoked();
    if (revoked.listSigned()) {
      LOG.infof("release %s@%s revoked by %s", model, version, actor);
      list.publish();
    } else {
      LOG.infof(
          "release %s@%s revoked by %s; the revocation list waits for the offline release key",
          model, version, actor);
    }
    rollouts.withdrawPrefetches(marked.cancelled());
    return revoked;
  }

  /** A release marked revoked, and the rollouts of it that were cancelled. */
  private record Marked(Revoked revoked, List<String> cancelled) {}

  private Marked mark(Connection c, String model, String version, String reason, String actor)
      throws SQLException {
    Release release =
        catalog.release(c, model, version).orElseThrow(() -> notFound(model, version));
    if (release.revoked() != null) {
      throw new ApiException(
          ErrorCode.CONFLICT,
          "model "
              + Fields.show(model)
              + " version "
              + Fields.show(version)
              + " was revoked at "
              + release.revoked().revokedAt());
    }
    Jdbc.update(
        c,
        "UPDATE model_release SET revoked_at = ?, revoked_reason = ?, revoked_by = ?"
            + " WHERE model = ? AND version = ?",
        clock.instant().truncatedTo(ChronoUnit.MILLIS),
        reason,
        actor,
        model,
        version);
    String why = "release " + model + "@" + version + " was revoked by " + actor + ": " + reason;
    List<String> cancelled = rollouts.cancelRevoked(c, model, version, why);
    if (!cancelled.isEmpty()) {
      LOG.infof("rollouts of %s@%s cancelled: %s", model, version, String.join(", ", cancelled));
    }
    boolean signed = list.resign(c).isPresent();
    Release marked = catalog.release(c, model, version).orElseThrow();
    return new Marked(new Revoked(marked, signed), cancelled);
  }

  private static ApiException notFound(String model, String version) {
    return new ApiException(
        ErrorCode.NOT_FOUND,
        "model " + Fields.show(model) + " has no version " + Fields.show(version));
  }
}
