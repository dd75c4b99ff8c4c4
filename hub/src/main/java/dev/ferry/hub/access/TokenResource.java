package dev.ferry.hub.access;

import dev.ferry.protocol.api.TokenInfo;
import dev.ferry.protocol.api.TokenRequest;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;

/** Issues, lists and revokes API tokens; admins only. */
@Path("/api/v1/tokens")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(Roles.ADMIN)
public class TokenResource {
  @Inject Tokens tokens;

  @POST
  @Consumes(MediaType.APPLICATION_JSON)
  public Response issue(TokenRequest request) {
    if (request == null) {
      throw new dev.ferry.protocol.json.FieldException("body", "is missing");
    }
    return Response.status(201)
        .entity(tokens.issue(request.name(), ApiRole.of(request.role()), request.expiresAt()))
        .build();
  }

  @GET
  public List<TokenInfo> list() {
    return tokens.list();
  }

  @DELETE
  @Path("{name}")
  public Response revoke(@PathParam("name") String name) {
    tokens.revoke(name);
    return Response.noContent().build();
  }
}
