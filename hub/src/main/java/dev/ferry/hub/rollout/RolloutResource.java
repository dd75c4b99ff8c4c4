package dev.ferry.hub.rollout;

import dev.ferry.hub.access.Roles;
import dev.ferry.hub.api.ApiException;
import dev.ferry.hub.api.ErrorCode;
import dev.ferry.protocol.json.Fields;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;

/** Assigns releases to devices. */
@Path("/api/v1/rollouts")
@Produces(MediaType.APPLICATION_JSON)
public class RolloutResource {
  @Inject Rollouts rollouts;

  @POST
  @Consumes(MediaType.APPLICATION_JSON)
  @RolesAllowed(Roles.RELEASE_MANAGER)
  public Response create(RolloutRequest request, @Context SecurityContext security) {
    return Response.status(201)
        .entity(rollouts.create(request, security.getUserPrincipal().getName()))
        .build();
  }

  @GET
  @Path("{id}")
  @RolesAllowed(Roles.VIEWER)
  public Rollout get(@PathParam("id") String id) {
    return rollouts
        .find(id)
        .orElseThrow(() -> new ApiException(ErrorCode.NOT_FOUND, "no rollout " + Fields.show(id)));
  }
}
