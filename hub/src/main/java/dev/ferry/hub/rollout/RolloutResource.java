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
        QueryParams.text(model),
        QueryParams.oneOf("state", state, RolloutState.values()),
        QueryParams.number("limit", limit, 1, MAX));
  }

  /**
   * One rollout with its waves and its devices' progress.
   *
   * @param id the rollout
   * @param devices false for the rollout and its waves without its devices
   * @param deviceState only the devices in this state
   * @param page with {@code size}: the devices a page at a time, from 0 (by wave and id); the
   *     number listed in all is in {@code X-Total-Count}
   * @param size devices per page, 1 to 1000; every device when neither is given
   * @return the rollout
   */
  @GET
  @Path("{id}")
  @RolesAllowed(Roles.VIEWER)
  public Response get(
      @PathParam("id") String id,
      @QueryParam("devices") String devices,
      @QueryParam("deviceState") String deviceState,
      @QueryParam("page") String page,
      @QueryParam("size") String size) {
    DeviceProgress state = QueryParams.oneOf("deviceState", deviceState, DeviceProgress.values());
    boolean paged = QueryParams.text(page) != null || QueryParams.text(size) != null;
    int pageSize = paged ? QueryParams.number("size", orDefault(size, "100"), 1, 1000) : 0;
    int pageNumber =
        paged ? QueryParams.number("page", orDefault(page, "0"), 0, Integer.MAX_VALUE) : 0;
    DevicePage listed =
        !QueryParams.flag("devices", devices, true)
            ? null
            : paged
                ? new DevicePage(state, (long) pageNumber * pageSize, pageSize)
                : new DevicePage(state, 0, Integer.MAX_VALUE);
    Rollout rollout =
        rollouts
            .find(id, listed)
            .orElseThrow(
                () -> new ApiException(ErrorCode.NOT_FOUND, "no rollout " + Fields.show(id)));
    Response.ResponseBuilder response = Response.ok(rollout);
    if (listed != null) {
      response.header("X-Total-Count", inState(rollout, state));
    }
    return response.build();
  }

  private static String orDefault(String value, String absent) {
    return QueryParams.text(value) == null ? absent : value;
  }

  /** How many of the rollout's devices are in a state, or in all. */
  private static int inState(Rollout rollout, DeviceProgress state) {
    return state == null
        ? rollout.progress().values().stream().mapToInt(Integer::intValue).sum()
        : rollout.progress().getOrDefault(state.name(), 0);
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
}
