package dev.ferry.hub.fleet;

import dev.ferry.hub.access.Roles;
import dev.ferry.hub.api.ApiException;
import dev.ferry.hub.api.ErrorCode;
import dev.ferry.protocol.json.Fields;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.List;

/** The devices the hub knows: labels, presence, last reported state. */
@Path("/api/v1/devices")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(Roles.VIEWER)
public class DeviceResource {
  @Inject Devices devices;

  @GET
  public List<Device> list(@QueryParam("selector") String selector) {
    List<Device> all = devices.all();
    if (selector == null || selector.isBlank()) {
      return all;
    }
    LabelSelector parsed = LabelSelector.parse(selector);
    return all.stream().filter(d -> parsed.test(d.labels())).toList();
  }

  @GET
  @Path("{id}")
  public Device get(@PathParam("id") String id) {
    return devices
        .find(id)
        .orElseThrow(() -> new ApiException(ErrorCode.NOT_FOUND, "no device " + Fields.show(id)));
  }
}
