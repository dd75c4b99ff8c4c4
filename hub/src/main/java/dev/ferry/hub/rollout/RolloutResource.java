package dev.ferry.hub.rollout;

import dev.ferry.hub.access.Roles;
import dev.ferry.hub.api.ApiException;
import dev.ferry.hub.api.ErrorCode;
import dev.ferry.hub.api.QueryParams;
import dev.ferry.protocol.api.Rollout;
import dev.ferry.protocol.api.RolloutRequest;
import dev.ferry.protocol.json.Fields;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import java.net.URI;
import java.util.List;
import java.util.Locale;

/** Rollouts of releases to devices, wave by wave. */
@Path("/api/v1/rollouts")
@Produces(MediaType.APPLICATION_JSON)
public class RolloutResource {
  private static final int MAX = 500;

  @Inject Rollouts rollouts;

  @POST
  @Consumes(MediaType.APPLICATION_JSON)
  @RolesAllowed(Roles.RELEASE_MANAGER)
  public Response create(RolloutRequest request, @Context SecurityContext security) {
    Rollout rollout = rollouts.create(request, actor(security));
    return Response.created(URI.create("/api/v1/rollouts/" + rollout.id())).entity(rollout).build();
  }

  /**
   * @param model only this model's
   * @param state only in this state
   * @param limit at most this many, 1 to 500
   * @return newest first, without per-device detail
   */
  @GET
  @RolesAllowed(Roles.VIEWER)
  public List<Rollout> list(
      @QueryParam("model") String model,
      @QueryParam("state") String state,
      @QueryParam("limit") @DefaultValue("50") String limit) {
    return rollouts.list(
        QueryParams.text(model), state(state), QueryParams.number("limit", limit, 1, MAX));
  }

  @GET
  @Path("{id}")
  @RolesAllowed(Roles.VIEWER)
  public Rollout get(@PathParam("id") String id, @QueryParam("devices") String devices) {
    return rollouts
        .find(id, QueryParams.flag("devices", devices, true))
        .orElseThrow(() -> new ApiException(ErrorCode.NOT_FOUND, "no rollout " + Fields.show(id)));
  }

  @POST
  @Path("{id}/pause")
  @RolesAllowed(Roles.RELEASE_MANAGER)
  public Rollout pause(@PathParam("id") String id, @Context SecurityContext security) {
    return rollouts.pause(id, actor(security));
  }

  @POST
  @Path("{id}/resume")
  @RolesAllowed(Roles.RELEASE_MANAGER)
  public Rollout resume(@PathParam("id") String id, @Context SecurityContext security) {
    return rollouts.resume(id, actor(security));
  }

  @POST
  @Path("{id}/cancel")
  @RolesAllowed(Roles.RELEASE_MANAGER)
  public Rollout cancel(@PathParam("id") String id, @Context SecurityContext security) {
    return rollouts.cancel(id, actor(security));
  }

  @POST
  @Path("{id}/rollback")
  @RolesAllowed(Roles.RELEASE_MANAGER)
  public Rollout rollback(@PathParam("id") String id, @Context SecurityContext security) {
    return rollouts.rollback(id, actor(security));
  }

  private static String actor(SecurityContext security) {
    return security.getUserPrincipal().getName();
  }

  private static RolloutState state(String value) {
    if (value == null || value.isBlank()) {
      return null;
    }
    try {
      return RolloutState.valueOf(value.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new ApiException(
          ErrorCode.INVALID_REQUEST,
          "state: must be one of "
              + List.of(RolloutState.values())
              + ", got "
              + Fields.show(value));
    }
  }
}
