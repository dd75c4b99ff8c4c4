package dev.ferry.hub.fleet;

import dev.ferry.hub.access.Roles;
import dev.ferry.hub.api.QueryParams;
import dev.ferry.protocol.device.DeviceEvent;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.List;

/** The devices' update events, newest first. */
@Path("/api/v1/events")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(Roles.VIEWER)
public class EventResource {
  private static final int MAX = 1000;

  @Inject EventLog events;

  /**
   * @param device only this device's
   * @param model only this model's
   * @param limit at most this many, 1 to 1000
   * @return newest first
   */
  @GET
  public List<DeviceEvent> list(
      @QueryParam("device") String device,
      @QueryParam("model") String model,
      @QueryParam("limit") @DefaultValue("100") String limit) {
    return events.newest(
        QueryParams.text(device),
        QueryParams.text(model),
        QueryParams.number("limit", limit, 1, MAX));
  }
}
