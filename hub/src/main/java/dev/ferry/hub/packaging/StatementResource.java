package dev.ferry.hub.packaging;

import dev.ferry.hub.access.Roles;
import dev.ferry.hub.api.ApiException;
import dev.ferry.hub.api.ErrorCode;
import dev.ferry.hub.catalog.Catalog;
import dev.ferry.hub.catalog.PendingReleases;
import dev.ferry.hub.catalog.Release;
import dev.ferry.hub.db.Database;
import dev.ferry.hub.rollout.Resigner;
import dev.ferry.hub.rollout.StatementRenewal;
import dev.ferry.protocol.signing.Envelope;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/**
 * The two-phase publish with the release key offline: {@code GET …/statement} serves the exact
 * payload of a release waiting for its signature (sign it with {@code ferry release sign}), {@code
 * PUT …/signature} takes the signed envelope and publishes the release. The same two calls sign
 * again the statement of a published release after a rotation of the release key ({@link
 * StatementRenewal}).
 */
@Path("/api/v1/models/{name}/versions/{version}")
public class StatementResource {
  @Inject Database db;
  @Inject PendingReleases pending;
  @Inject ReleaseSigning signing;
  @Inject Catalog catalog;
  @Inject StatementRenewal renewal;
  @Inject Resigner resigner;

  @GET
  @Path("statement")
  @RolesAllowed(Roles.VIEWER)
  @Produces(MediaType.APPLICATION_JSON)
  public byte[] statement(@PathParam("name") String name, @PathParam("version") String version) {
    if (published(name, version)) {
      return renewal.payload(name, version);
    }
    return db.transaction(c -> pending.find(c, name, version)).statement().bytes();
  }

  @PUT
  @Path("signature")
  @RolesAllowed(Roles.RELEASE_MANAGER)
  @Consumes(MediaType.APPLICATION_JSON)
  @Produces(MediaType.APPLICATION_JSON)
  public dev.ferry.protocol.api.Release sign(
      @PathParam("name") String name, @PathParam("version") String version, Envelope signed) {
    if (signed == null) {
      throw new ApiException(
          ErrorCode.INVALID_REQUEST, "the signed statement (a DSSE envelope) is missing");
    }
    if (published(name, version)) {
      Release renewed = renewal.submit(name, version, signed);
      resigner.runSoon();
      return renewed.toApi();
    }
    return signing.submit(name, version, signed).toApi();
  }

  private boolean published(String name, String version) {
    return catalog.release(name, version).filter(ReleaseSigning::published).isPresent();
  }
}
