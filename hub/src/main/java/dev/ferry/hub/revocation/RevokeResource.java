package dev.ferry.hub.revocation;

import dev.ferry.hub.access.Roles;
import dev.ferry.hub.api.ApiException;
import dev.ferry.hub.api.ErrorCode;
import dev.ferry.protocol.api.RevokeRequest;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import java.util.Map;

/**
 * {@code POST /api/v1/models/{name}/versions/{version}/revoke}: withdraw a release from the fleet.
 * A second revoke of the same release answers 409. With the release key offline it answers 202: the
 * release is marked and the next revocation list waits for its signature ({@link
 * RevocationListResource}).
 */
@Path("/api/v1/models/{name}/versions/{version}/revoke")
public class RevokeResource {
  @Inject Revoker revoker;

  @POST
  @Consumes(MediaType.APPLICATION_JSON)
  @Produces(MediaType.APPLICATION_JSON)
  @RolesAllowed(Roles.RELEASE_MANAGER)
  public Response revoke(
      @PathParam("name") String name,
      @PathParam("version") String version,
      RevokeRequest request,
      @Context SecurityContext security) {
    if (request == null) {
      throw new ApiException(
          ErrorCode.INVALID_REQUEST, "reason is missing", Map.of("field", "reason"));
    }
    String actor = security.getUserPrincipal().getName();
    Revoker.Revoked revoked = revoker.revoke(name, version, request.reason(), actor);
    // 202: marked, but the revocation list waits for the offline release key (ferry release revoke
    // --key)
    int status = revoked.listSigned() ? 200 : 202;
    return Response.status(status).entity(revoked.release().toApi()).build();
  }
}
