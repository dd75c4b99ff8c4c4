package dev.ferry.hub.identity;

import dev.ferry.hub.access.Roles;
import dev.ferry.protocol.api.EnrollmentToken;
import dev.ferry.protocol.api.EnrollmentTokenRequest;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import java.util.List;

/** Creates, lists and deletes enrollment tokens. */
@Path("/api/v1/enrollment-tokens")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(Roles.VIEWER)
public class EnrollmentTokenResource {
  @Inject EnrollmentTokens tokens;

  @POST
  @Consumes(MediaType.APPLICATION_JSON)
  @RolesAllowed(Roles.RELEASE_MANAGER)
  public Response create(EnrollmentTokenRequest request, @Context SecurityContext security) {
    EnrollmentToken token = tokens.create(request, security.getUserPrincipal().getName());
    return Response.status(201).entity(token).build();
  }

  @GET
  public List<EnrollmentToken> list() {
    return tokens.list();
  }

  @DELETE
  @Path("{id}")
  @RolesAllowed(Roles.RELEASE_MANAGER)
  public Response delete(@PathParam("id") String id) {
    tokens.delete(id);
    return Response.noContent().build();
  }
}
