package dev.ferry.hub.fleet;

import dev.ferry.hub.access.Roles;
import dev.ferry.hub.api.ApiException;
import dev.ferry.hub.api.ErrorCode;
import dev.ferry.hub.api.QueryParams;
import dev.ferry.hub.identity.BasicCredentials;
import dev.ferry.hub.identity.Enrollments;
import dev.ferry.protocol.api.DeviceCredentials;
import dev.ferry.protocol.api.DeviceLabels;
import dev.ferry.protocol.api.RenewRequest;
import dev.ferry.protocol.device.Labels;
import dev.ferry.protocol.json.Fields;
import dev.ferry.protocol.json.JsonCodec;
import jakarta.annotation.security.PermitAll;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.InputStream;
import java.util.List;
import java.util.Map;

/** The devices the hub knows: labels, presence, last reported state. */
@Path("/api/v1/devices")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(Roles.VIEWER)
public class DeviceResource {
  private static final JsonCodec CODEC = new JsonCodec();
  @Inject Devices devices;
  @Inject Enrollments enrollments;

  /**
   * The devices whose effective labels match a selector, a page at a time; the total is in {@code
   * X-Total-Count}.
   *
   * @param selector a Kubernetes label selector, or none for all
   * @param page the page, from 0
   * @param size devices per page, 1 to 1000
   * @return the page
   */
  @GET
  public Response list(
      @QueryParam("selector") String selector,
      @QueryParam("page") @DefaultValue("0") String page,
      @QueryParam("size") @DefaultValue("100") String size) {
    int pageNumber = QueryParams.number("page", page, 0, Integer.MAX_VALUE);
    int pageSize = QueryParams.number("size", size, 1, 1000);
    long from = (long) pageNumber * pageSize;
    List<Device> slice;
    long total;
    if (selector == null || selector.isBlank()) {
      slice = devices.page(from, pageSize);
      total = devices.count();
    } else {
      LabelSelector parsed = LabelSelector.parse(selector);
      List<String> matching =
          devices.labels().stream()
              .filter(d -> parsed.test(d.labels()))
              .map(Devices.Labelled::id)
              .toList();
      total = matching.size();
      slice =
          from >= total
              ? List.of()
              : devices.find(matching.subList((int) from, (int) Math.min(total, from + pageSize)));
    }
    return Response.ok(slice.stream().map(Device::toApi).toList())
        .header("X-Total-Count", total)
        .build();
  }

  /**
   * Sets the hub's labels of a device, which override the ones it reports.
   *
   * @param id the device
   * @param body {@code {"labels": {"site": "berlin"}}}
   * @return the device
   */
  @PUT
  @Path("{id}/labels")
  @Consumes(MediaType.APPLICATION_JSON)
  @RolesAllowed(Roles.RELEASE_MANAGER)
  public dev.ferry.protocol.api.Device setLabels(@PathParam("id") String id, DeviceLabels body) {
    if (body == null || body.labels() == null) {
      throw new ApiException(ErrorCode.INVALID_REQUEST, "labels: required, an object of strings");
    }
    Map<String, String> labels;
    try {
      labels = Labels.check(body.labels(), "labels");
    } catch (IllegalArgumentException e) {
      throw new ApiException(ErrorCode.INVALID_REQUEST, e.getMessage());
    }
    return devices
        .setHubLabels(id, labels)
        .map(Device::toApi)
        .orElseThrow(() -> new ApiException(ErrorCode.NOT_FOUND, "no device " + Fields.show(id)));
  }

  @GET
  @Path("{id}")
  public dev.ferry.protocol.api.Device get(@PathParam("id") String id) {
    return devices
        .find(id)
        .map(Device::toApi)
        .orElseThrow(() -> new ApiException(ErrorCode.NOT_FOUND, "no device " + Fields.show(id)));
  }

  /**
   * Accepts a PENDING device (enrollment policy {@code manual}).
   *
   * @param id the device
   * @return the device
   */
  @POST
  @Path("{id}/accept")
  @RolesAllowed(Roles.ADMIN)
  public dev.ferry.protocol.api.Device accept(@PathParam("id") String id) {
    enrollments.accept(id);
    return get(id);
  }

  /**
   * Revokes a device for good: refused by the broker and the registry, its certificates on the CRL.
   *
   * @param id the device
   * @return the device
   */
  @POST
  @Path("{id}/revoke")
  @RolesAllowed(Roles.ADMIN)
  public dev.ferry.protocol.api.Device revoke(@PathParam("id") String id) {
    enrollments.revoke(id);
    return get(id);
  }

  /**
   * A new certificate for an enrolled device, which authenticates with HTTP Basic {@code
   * <id>:<broker password>}.
   *
   * @param id the device
   * @param authorization the {@code Authorization} header
   * @param body a {@link RenewRequest}, read once the header names the device, up to its 64 KiB
   * @return the new certificate
   */
  @POST
  @Path("{id}/certificate")
  @Consumes(MediaType.APPLICATION_JSON)
  @PermitAll
  public DeviceCredentials renew(
      @PathParam("id") String id,
      @HeaderParam("Authorization") String authorization,
      InputStream body) {
    BasicCredentials credentials =
        BasicCredentials.parse(authorization)
            .filter(c -> c.user().equals(id))
            .orElseThrow(
                () ->
                    new ApiException(
                        ErrorCode.UNAUTHENTICATED,
                        "renewal needs Authorization: Basic <" + id + ":password>"));
    RenewRequest request = CODEC.decode(body, RenewRequest.class);
    return enrollments.renew(id, credentials.password(), request.csr());
  }
}
